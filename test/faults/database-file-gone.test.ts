import { closeSync, existsSync, openSync, renameSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { stoppedReply } from "../../src/slack/stopped.js";
import { holdInstanceLock } from "../../src/store/instance-lock.js";
import { sendCommand } from "../fakes/slack-command.js";
import { parseExposition } from "../helpers/exposition.js";
import { actionBody, postSigned } from "../helpers/slack-sign.js";
import { tempDir } from "../helpers/tmp.js";
import { readUntil, until } from "../helpers/until.js";
import {
  CHANNEL,
  injectDestructiveCall,
  logged,
  POLL_SECONDS,
  type Running,
  SECRET,
  startFaultyApp,
} from "./harness.js";

const eventsUrl = (r: Running) => `http://127.0.0.1:${r.app.port}/slack/events`;
/** Who types the commands and presses the buttons. */
const PERSON = { user_id: "U0RESPONDER", team_id: "T0FAULTS", channel_id: CHANNEL };

/** A responder's press of an alert message's Acknowledge, answered at the URL "acknowledge". */
function acknowledge(r: Running): string {
  return actionBody({
    type: "block_actions",
    user: { id: PERSON.user_id, team_id: PERSON.team_id },
    channel: { id: CHANNEL },
    container: { type: "message", message_ts: "1.000001", channel_id: CHANNEL },
    message: { ts: "1.000001", type: "message", text: "an alert" },
    response_url: r.slack.responseUrl("acknowledge"),
    actions: [{ type: "button", action_id: "alert_acknowledge", value: "1", action_ts: "1" }],
  });
}

/** /healthz once it answers 503, or once the bot has stored more events than `before`. */
function unhealthyOrStored(r: Running, before: number) {
  return readUntil(
    r.health,
    (h) => h.status === 503 || h.body.poller.eventsStored > before,
    "/healthz to turn 503, or the bot to store the new event",
  );
}

/** The tables of the file now at `path`, read as any other process (a restart) would. */
function tables(path: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    return db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
      .all()
      .map((row) => row.name);
  } finally {
    db.close();
  }
}

/**
 * The database file deleted or replaced under a running bot (`rm -rf data/`, a cleanup job, a
 * restore without stopping it). In WAL mode SQLite goes on writing into the open, nameless file:
 * what the bot stores from then on is gone at its next start. It must say so, and stop.
 */
describe("the database file deleted or replaced under a running bot", () => {
  it("deleted with its folder: /healthz 503 saying to restart, and it stops polling and posting", async () => {
    const r = await startFaultyApp();
    const before = (await r.health()).body.poller.eventsStored;
    for (const suffix of ["", "-wal", "-shm", ".lock"])
      rmSync(`${r.databasePath}${suffix}`, { force: true });
    injectDestructiveCall(r, "after-delete");

    const health = await unhealthyOrStored(r, before);
    expect(health.status).toBe(503);
    expect(health.body.database.ok).toBe(false);
    expect(health.body.database.problem).toMatch(
      /^the database file at .*faults\.db was deleted or replaced while the bot ran: what it stored since is not in it, and it stops polling and posting; restart it/,
    );
    await until(() => logged(r, "polling and posting stopped").length === 1, "the halt");
    expect(logged(r, "was deleted or replaced")).toHaveLength(1);

    // Halted: nothing more is polled into the lost file, nor posted from it.
    const stored = (await r.health()).body.poller.eventsStored;
    injectDestructiveCall(r, "after-halt");
    const from = r.clock.now();
    await until(() => r.clock.now() > from + 3 * POLL_SECONDS * 1000, "three poll intervals");
    expect((await r.health()).body.poller.eventsStored).toBe(stored);
    const posted = JSON.stringify(r.slack.callsTo("chat.postMessage").map((c) => c.params));
    expect(posted).not.toContain("after-halt");
    expect(existsSync(r.databasePath)).toBe(false);

    // No worker runs any more: each needs the operator's restart, in /healthz and in /metrics.
    const { workers } = (await r.health()).body;
    expect(workers.length).toBeGreaterThan(0);
    expect(workers.filter((w) => w.ok)).toEqual([]);
    const metrics = parseExposition(
      await (await fetch(`http://127.0.0.1:${r.app.port}/metrics`)).text(),
    ).families;
    const up = metrics.get("mcp_activity_worker_up")?.samples ?? [];
    expect(up.map((s) => s.value)).toEqual(workers.map(() => 0));
    expect(metrics.get("mcp_activity_database_up")?.samples.map((s) => s.value)).toEqual([0]);
    // The series read from the database are still there, read from the file the bot has open.
    const storedSeries = metrics.get("mcp_activity_events_stored")?.samples ?? [];
    expect(storedSeries.map((s) => s.value)).toEqual([stored]);
    expect(metrics.get("mcp_activity_outbox_oldest_seconds")?.samples[0]?.value).not.toBeNaN();
  });

  it("its -shm deleted (a cleanup job): /healthz 503 saying so, and it stops polling and posting", async () => {
    const r = await startFaultyApp();
    const before = (await r.health()).body.poller.eventsStored;
    rmSync(`${r.databasePath}-shm`);
    injectDestructiveCall(r, "after-shm");
    const health = await unhealthyOrStored(r, before);
    expect(health.status).toBe(503);
    expect(health.body.database.problem).toMatch(
      /faults\.db-shm was deleted or replaced while the bot ran: a command run beside it would keep a log of its own and could damage the database, so it stops polling and posting; restart it$/,
    );
    await until(() => logged(r, "polling and posting stopped").length === 1, "the halt");
    // The database itself is kept: nothing of it is removed.
    expect(existsSync(r.databasePath)).toBe(true);
    expect(existsSync(`${r.databasePath}-wal`)).toBe(true);
  });

  it("replaced by a restore: the old -wal and -shm are removed, so the restored file reads as itself", async () => {
    const r = await startFaultyApp();
    const restored = `${r.databasePath}.restored`;
    const backup = new Database(restored);
    backup.exec("CREATE TABLE restored (x)");
    backup.close();
    renameSync(restored, r.databasePath); // as `install -m 600 backup.db "$DATABASE_PATH"` does

    const health = await readUntil(r.health, (h) => h.status === 503, "/healthz to turn 503");
    expect(health.body.database.problem).toMatch(/was deleted or replaced while the bot ran/);
    await until(() => logged(r, "polling and posting stopped").length === 1, "the halt");
    expect(existsSync(`${r.databasePath}-wal`)).toBe(false);
    expect(existsSync(`${r.databasePath}-shm`)).toBe(false);
    await r.stop();
    // The old database's log, replayed into the restored file, would show the bot's tables.
    expect(tables(r.databasePath)).toEqual(["restored"]);
  });

  it("answers a command or a button that it has stopped, and acts on neither", async () => {
    const r = await startFaultyApp();
    for (const suffix of ["", "-wal", "-shm"])
      rmSync(`${r.databasePath}${suffix}`, { force: true });
    await readUntil(r.health, (h) => h.status === 503, "/healthz to turn 503");

    const url = eventsUrl(r);
    await sendCommand(r.slack, url, SECRET, "mute", { text: "mute mcp-write 1d", ...PERSON });
    expect((await postSigned(url, acknowledge(r), SECRET)).status).toBe(200);
    await r.slack.waitFor(() => r.slack.responses.length === 2, 5_000, "both answers");
    expect(r.slack.responses.map((a) => [a.id, a.body.text])).toEqual([
      ["mute", stoppedReply("database")],
      ["acknowledge", stoppedReply("database")],
    ]);
    expect(stoppedReply("database")).toMatch(
      /database file \(or its -wal or -shm file\) was deleted or replaced/,
    );
    expect(logged(r, "query")).toEqual([]);
    expect(logged(r, "alert 1")).toEqual([]);
  });

  it("shows the App Home stopped, opened or pressed (its buttons have no response URL)", async () => {
    const r = await startFaultyApp();
    for (const suffix of ["", "-wal", "-shm"])
      rmSync(`${r.databasePath}${suffix}`, { force: true });
    await readUntil(r.health, (h) => h.status === 503, "/healthz to turn 503");

    const url = eventsUrl(r);
    const opened = JSON.stringify({
      type: "event_callback",
      team_id: PERSON.team_id,
      api_app_id: "A0FAULTS",
      event_id: "Ev0HOME",
      event_time: 1,
      event: { type: "app_home_opened", user: "U0ALICE", channel: "D0HOME", tab: "home" },
    });
    const json = { contentType: "application/json" };
    expect((await postSigned(url, opened, SECRET, json)).status).toBe(200);
    const notMe = actionBody({
      type: "block_actions",
      user: { id: "U0BOB", team_id: PERSON.team_id },
      team: { id: PERSON.team_id },
      container: { type: "view", view_id: "V0HOME" },
      view: { id: "V0HOME", type: "home", blocks: [] },
      actions: [{ type: "button", action_id: "home_not_me", value: "1", action_ts: "1" }],
    });
    expect((await postSigned(url, notMe, SECRET)).status).toBe(200);
    const shown = () => r.slack.callsTo("views.publish").map((c) => c.params.user_id);
    await r.slack.waitFor(() => shown().length === 2, 5_000, "both Homes published");
    expect(shown().sort()).toEqual(["U0ALICE", "U0BOB"]);
    const text = JSON.stringify(r.slack.callsTo("views.publish").map((c) => c.params.view));
    expect(text).toContain("mcp-activity has stopped, and nothing was done");
    expect(text).not.toContain("home_not_me"); // no button left that would do nothing
    expect(logged(r, "not me")).toEqual([]);
  });

  it("its lock file alone deleted: commands are told so, not that the database went", async () => {
    const r = await startFaultyApp();
    rmSync(`${r.databasePath}.lock`);
    await readUntil(r.health, (h) => h.status === 503, "/healthz to turn 503");
    await sendCommand(r.slack, eventsUrl(r), SECRET, "status", { text: "status", ...PERSON });
    expect(r.slack.responses.map((a) => a.body.text)).toEqual([stoppedReply("lock")]);
    expect(stoppedReply("lock")).toMatch(/lock file was deleted or replaced/);
  });

  it("its lock file deleted: /healthz 503, and it stops, so a second start does not post beside it", async () => {
    const r = await startFaultyApp();
    rmSync(`${r.databasePath}.lock`);

    const health = await readUntil(r.health, (h) => h.status === 503, "/healthz to turn 503");
    expect(health.body.database.problem).toMatch(
      /^the lock file .*faults\.db\.lock was deleted or replaced while the bot ran: a second start on DATABASE_PATH would not be stopped/,
    );
    await until(() => logged(r, "polling and posting stopped").length === 1, "the halt");
    // The database itself is sound: its -wal is still the one every process reads.
    expect(existsSync(`${r.databasePath}-wal`)).toBe(true);
    const second = holdInstanceLock(r.databasePath);
    second.release();
  });
});

describe("a DATABASE_PATH linked to a file elsewhere, the file replaced under the running bot", () => {
  it("removes the old -wal and -shm beside the file linked to, so the restored file reads as itself", async () => {
    const real = join(tempDir(), "mcp.db");
    closeSync(openSync(real, "w", 0o600)); // an empty file is an empty database
    const link = join(tempDir(), "mcp.db");
    symlinkSync(real, link);
    const r = await startFaultyApp({ env: { DATABASE_PATH: link } });
    expect(existsSync(`${real}-wal`)).toBe(true); // where SQLite keeps it
    const restored = `${real}.restored`;
    const backup = new Database(restored);
    backup.exec("CREATE TABLE restored (x)");
    backup.close();
    renameSync(restored, real); // as `install -m 600 backup.db /mnt/ssd/mcp.db` does
    const health = await readUntil(r.health, (h) => h.status === 503, "/healthz to turn 503");
    expect(health.body.database.problem).toMatch(/was deleted or replaced while the bot ran/);
    await until(() => logged(r, "polling and posting stopped").length === 1, "the halt");
    expect(existsSync(`${real}-wal`)).toBe(false);
    expect(existsSync(`${real}-shm`)).toBe(false);
    await r.stop();
    // The old database's log, replayed into the restored file, would show the bot's tables.
    expect(tables(real)).toEqual(["restored"]);
  });
});

import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { sendCommand } from "../fakes/slack-command.js";
import { parseExposition } from "../helpers/exposition.js";
import { readUntil, until } from "../helpers/until.js";
import { bulkyEvents, fillDisk, freeDisk, keptConnections } from "./full-disk.js";
import {
  CHANNEL,
  expectAllStoredOnce,
  healthyAfter,
  logged,
  SECRET,
  startFaultyApp,
  storedEvents,
  unhealthyWithReason,
} from "./harness.js";

const { open, opened } = keptConnections();

const children: ChildProcess[] = [];
afterEach(() => {
  opened.splice(0);
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

/** A second process that takes the write lock on the file and keeps it until told on stdin. */
async function holdWriteLock(path: string): Promise<ChildProcess> {
  const script = `
    const db = new (require("better-sqlite3"))(process.argv[1]);
    db.pragma("busy_timeout = 10000");
    db.exec("BEGIN EXCLUSIVE");
    process.stdout.write("locked\\n");
    process.stdin.once("data", () => { db.exec("COMMIT"); db.close(); process.exit(0); });
  `;
  const child = spawn(process.execPath, ["-e", script, path], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  children.push(child);
  const [chunk] = (await once(child.stdout as NodeJS.ReadableStream, "data")) as [Buffer];
  expect(chunk.toString()).toBe("locked\n");
  return child;
}

function integrity(path: string): string {
  const db = new Database(path, { readonly: true });
  try {
    return String(db.pragma("integrity_check", { simple: true }));
  } finally {
    db.close();
  }
}

describe("the running app when its database cannot be written", () => {
  it("disk full: says so, /healthz turns 503, the file stays sound, and nothing is lost after", async () => {
    const r = await startFaultyApp({ open });
    const db = opened[0];
    if (!db) throw new Error("the app opened no database");
    fillDisk(db);
    r.sim.injectEvents(bulkyEvents(100, r.clock.now()));

    const during = await unhealthyWithReason(r);
    expect(during.body).toMatchObject({
      status: "unhealthy",
      poller: { lastError: { kind: "database" } },
      database: { ok: false },
    });
    const advice =
      "the database's disk is full (SQLITE_FULL): free space on the disk that holds DATABASE_PATH; polling resumes where it stopped, nothing is lost";
    expect(during.body.poller.lastError?.message).toBe(advice);
    expect(during.body).toMatchObject({ database: { ok: false, problem: advice } });
    expect(logged(r, "poll failed: ")[0]).toMatchObject({
      level: 50,
      component: "poller",
      msg: `poll failed: ${advice}`,
    });
    expect(integrity(r.databasePath)).toBe("ok");

    freeDisk(db);
    const cleared = r.clock.now();
    await healthyAfter(r, cleared, "/healthz to be ok again");
    await r.stop();
    expect(integrity(r.databasePath)).toBe("ok");
    expectAllStoredOnce(r, cleared - 60_000);
    const bulky = storedEvents(r.databasePath).ids.filter((id) => id.startsWith("bulky-"));
    expect(bulky).toHaveLength(100);
  });

  it("locked by another process: says so, /healthz turns 503, and nothing is lost after", async () => {
    const r = await startFaultyApp({ open });
    const db = opened[0];
    if (!db) throw new Error("the app opened no database");
    db.pragma("busy_timeout = 200");
    const child = await holdWriteLock(r.databasePath);
    r.sim.injectEvents(bulkyEvents(5, r.clock.now()));

    const during = await unhealthyWithReason(r);
    expect(during.body).toMatchObject({
      status: "unhealthy",
      poller: { lastError: { kind: "database" } },
      database: { ok: false },
    });
    const advice =
      "the database is locked by another process (SQLITE_BUSY): stop what holds a write lock on DATABASE_PATH";
    expect(during.body.poller.lastError?.message).toContain(advice);
    expect(during.body).toMatchObject({ database: { ok: false } });
    expect(String(during.body.database.problem)).toContain(advice);
    expect(logged(r, "poll failed: ")[0]).toMatchObject({ level: 50, component: "poller" });
    expect(String(logged(r, "poll failed: ")[0]?.msg)).toContain(advice);

    child.stdin?.write("release\n");
    await once(child, "exit");
    const cleared = r.clock.now();
    await healthyAfter(r, cleared, "/healthz to be ok again");
    await r.stop();
    expect(integrity(r.databasePath)).toBe("ok");
    expectAllStoredOnce(r, cleared - 60_000);
    const bulky = storedEvents(r.databasePath).ids.filter((id) => id.startsWith("bulky-"));
    expect(bulky).toHaveLength(5);
  });

  it("locked a moment while nothing waits for Slack: healthy again once the lock is gone", async () => {
    const r = await startFaultyApp({ open, quiet: true });
    const db = opened[0];
    if (!db) throw new Error("the app opened no database");
    db.pragma("busy_timeout = 200");
    // The history's summary is posted; then nothing waits for Slack, and nothing new happens.
    await until(() => r.slack.callsTo("files.completeUploadExternal").length > 0, "the summary");
    await readUntil(
      r.health,
      (h) => h.status === 200 && h.body.slack.pendingDeliveries === 0,
      "an idle outbox",
    );
    const child = await holdWriteLock(r.databasePath);
    const during = await readUntil(
      r.health,
      (h) => h.status === 503 && h.body.workers.some((w) => w.name === "outbox" && !w.ok),
      "the outbox to meet the lock",
    );
    expect(during.body.slack.lastError?.code).toBe("SQLITE_BUSY");
    const posts = r.slack.callsTo("chat.postMessage").length;

    child.stdin?.write("release\n");
    await once(child, "exit");
    // Its next claim, of nothing, ends it: no message has to get through first.
    const after = await readUntil(
      r.health,
      (h) => h.status === 200 && h.body.workers.every((w) => w.ok),
      "/healthz to be ok again",
    );
    expect(after.body.database).toEqual({ ok: true, problem: null });
    expect(after.body.slack.lastError).toBeNull();
    const metrics = await (await fetch(`http://127.0.0.1:${r.app.port}/metrics`)).text();
    const outboxUp = parseExposition(metrics)
      .families.get("mcp_activity_worker_up")
      ?.samples.find((s) => s.labels.worker === "outbox")?.value;
    expect(outboxUp).toBe(1);
    expect(r.slack.callsTo("chat.postMessage")).toHaveLength(posts);
    expect(logged(r, "the outbox reads and writes the database again")).toHaveLength(1);
  });

  it("locked a moment: polling and /healthz are back soon after the lock is gone, not an interval later", async () => {
    // A poll every 10 minutes (12 s of real time).
    const r = await startFaultyApp({ open, env: { POLL_INTERVAL_SECONDS: "600" } });
    const db = opened[0];
    if (!db) throw new Error("the app opened no database");
    db.pragma("busy_timeout = 200");
    const child = await holdWriteLock(r.databasePath);
    r.sim.injectEvents(bulkyEvents(5, r.clock.now()));
    await until(() => logged(r, "poll failed: ").length > 0, "a poll to meet the lock", 20_000);

    // Taken while the lock is held: the poll tried again may succeed before the holder's exit is
    // seen here.
    const cleared = r.clock.now();
    child.stdin?.write("release\n");
    await once(child, "exit");
    // Within 500 s of the app's time (10 s of real time): the retries' wait grows to 5 minutes at
    // most, so the next poll is not the interval's 10 minutes away, however loaded the machine.
    const after = await healthyAfter(r, cleared, "/healthz to be ok again", 10_000);
    expect(Date.parse(String(after.body.poller.lastSuccessfulPoll)) - cleared).toBeLessThan(
      500_000,
    );
    const metrics = await (await fetch(`http://127.0.0.1:${r.app.port}/metrics`)).text();
    const pollerUp = parseExposition(metrics)
      .families.get("mcp_activity_worker_up")
      ?.samples.find((s) => s.labels.worker === "poller")?.value;
    expect(pollerUp).toBe(1);
    // Each poll that met the lock was tried again sooner, and the log said it once.
    expect(logged(r, "poll failed: ").filter((l) => l.level === 50)).toHaveLength(1);
    const bulky = storedEvents(r.databasePath).ids.filter((id) => id.startsWith("bulky-"));
    expect(bulky).toHaveLength(5);
  }, 45_000);

  it("disk full: `status` says so at once, as /healthz does, before the poller turns stale", async () => {
    // Polls every second of real time: three intervals, and the poller is unhealthy itself.
    const r = await startFaultyApp({ open, factor: 5, env: { SLACK_RESPONDERS: "U0RESPONDER" } });
    const db = opened[0];
    if (!db) throw new Error("the app opened no database");
    r.slack.addUser({ id: "U0RESPONDER", name: "responder", email: "responder@example.com" });
    fillDisk(db);
    r.sim.injectEvents(bulkyEvents(100, r.clock.now()));
    const during = await readUntil(
      r.health,
      (h) => h.status === 503 && h.body.database.problem !== null,
      "/healthz to name the full disk",
    );
    const full = "the database's disk is full (SQLITE_FULL)";
    expect(during.body.database.problem).toContain(full);

    await sendCommand(r.slack, `http://127.0.0.1:${r.app.port}/slack/events`, SECRET, "status", {
      text: "status",
      user_id: "U0RESPONDER",
      team_id: "T0FAULTS",
      channel_id: CHANNEL,
    });
    await r.slack.waitFor(() => r.slack.responses.length === 1, 5_000, "the answer");
    const answer = JSON.stringify(r.slack.responses[0]?.body);
    expect(answer).toContain("*unhealthy*");
    expect(answer).toContain(full);
    // Said once, though the poller says the same words once it is stale.
    expect(answer.split(full)).toHaveLength(2);
  });
});

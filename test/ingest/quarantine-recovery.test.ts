/**
 * Quarantined items this build reads (a call whose context list holds a null was quarantined by
 * earlier builds) are stored: by `reclassify` at each run, and by the bot after the first poll of
 * each start, where the rules judge them as events that arrived late. Items this build cannot
 * read either stay. A large quarantine is read in chunks, with
 * progress, and a run killed part-way loses nothing and stores nothing twice.
 */
import { spawn } from "node:child_process";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { CHANGED_AGAIN } from "../../src/ingest/changed-again.js";
import { Metrics } from "../../src/metrics.js";
import { PrunedBeforeStore } from "../../src/store/pruned-before.js";
import { repositories } from "../../src/store/repositories.js";
import { RetentionStore } from "../../src/store/retention.js";
import { DAY } from "../../src/time-units.js";
import { startFakeSlack } from "../fakes/slack-api.js";
import { closeAfterTest } from "../helpers/cleanup.js";
import { CLI, childEnv, collect, RunningCli, runCli } from "../helpers/cli.js";
import { simulatedOrg } from "../helpers/simulated.js";
import { until } from "../helpers/until.js";
import { MINUTE, rig } from "./setup.js";
import { pollerVia } from "./stream-proxy.js";

/** A destructive call whose context list holds a null (or not: `withNull`), processed now: live. */
function callWithNull(id: string, time = new Date().toISOString(), withNull = true): string {
  return JSON.stringify({
    id,
    type: "events",
    attributes: {
      time,
      processedAt: time,
      action: "rovo_mcp_tool_called",
      actor: { id: `acct-${id}`, name: "Mallory", email: "mallory@example.com" },
      context: [
        { id: "t1", type: "mcp-tool", attributes: { name: "deleteJiraIssue" } },
        ...(withNull ? [null] : []),
      ],
      container: [],
    },
  });
}

/** Quarantines items as an earlier release did (its reason for a null in the context list). */
function quarantine(path: string, raws: ReadonlyArray<readonly [id: string | null, raw: string]>) {
  const db = new Database(path);
  const insert = db.prepare(
    "INSERT INTO quarantined_events (org_id, event_id, error, raw, received_at) VALUES (?, ?, ?, ?, ?)",
  );
  db.transaction(() => {
    for (const [id, raw] of raws)
      insert.run(
        "org-cli",
        id,
        "attributes.context.1: must be an object, got null",
        raw,
        Date.now(),
      );
  })();
  db.close();
}

/** Items no release reads: an id that is a number, and text that is no JSON. */
const BROKEN = [
  [null, JSON.stringify({ id: 12345, type: "events", attributes: { action: "x" } })],
  [null, '{"id":"cut-short","type":"events","attributes":{"time":"2026-'],
] as const;

function read(path: string) {
  const db = new Database(path, { readonly: true });
  try {
    const one = <T>(sql: string) => db.prepare(sql).get() as T;
    return {
      stored: db
        .prepare("SELECT id, is_mcp, tool, backfilled FROM events WHERE id LIKE 'q-%' ORDER BY id")
        .all(),
      quarantined: db.prepare("SELECT raw FROM quarantined_events ORDER BY seq").pluck().all(),
      // The counters kept with the events agree with the rows.
      counted: one<{ n: number }>("SELECT events AS n FROM event_counts").n,
      rows: one<{ n: number }>("SELECT count(*) AS n FROM event_rows").n,
      person: db.prepare("SELECT user_email FROM people WHERE user_id = 'acct-q-1'").pluck().all(),
      alerts: db
        .prepare(
          `SELECT a.rule_id FROM alerts a JOIN alert_events ae ON ae.alert_id = a.id
           JOIN events e ON e.seq = ae.event_seq WHERE e.id = 'q-1' ORDER BY 1`,
        )
        .pluck()
        .all(),
    };
  } finally {
    db.close();
  }
}

describe("quarantined items this build reads", () => {
  it("are stored by `reclassify`, the others kept, and the running bot judges them after a poll", async () => {
    const { env, path } = await simulatedOrg(200);
    expect((await runCli(["poll", "--once"], env)).code).toBe(0);
    quarantine(path, [["q-1", callWithNull("q-1")], ...BROKEN]);

    const result = await runCli(["reclassify"], { DATABASE_PATH: path });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      "org-cli: 1 of 3 quarantined items stored as events (this build reads them; the bot's rules judge them as late events); 2 stay quarantined\n",
    );
    const after = read(path);
    expect(after).toMatchObject({
      stored: [{ id: "q-1", is_mcp: 1, tool: "deleteJiraIssue", backfilled: 0 }],
      quarantined: BROKEN.map(([, raw]) => raw),
      person: ["mallory@example.com"],
      alerts: [],
    });
    expect(after.counted).toBe(after.rows);

    // The bot judges it after its first poll, though that poll stores nothing, and posts the alert.
    const slack = await startFakeSlack({ token: "xoxb-quarantine" });
    closeAfterTest(() => slack.close());
    slack.setMembers("C0QUARANT", ["U0RESPOND1"]);
    const bot = new RunningCli(["start"], {
      ...env,
      SLACK_BOT_TOKEN: "xoxb-quarantine",
      SLACK_SIGNING_SECRET: "quarantine-secret",
      SLACK_API_URL: slack.url,
      SLACK_ALERT_CHANNEL: "C0QUARANT",
      PORT: "0",
    });
    closeAfterTest(() => {
      bot.child.kill("SIGKILL");
    });
    await until(
      () => slack.messages("C0QUARANT").some((m) => JSON.stringify(m).includes("deleteJiraIssue")),
      "the alert about the recovered call posted",
      20_000,
    );
    expect(read(path).alerts).toContain("mcp-destructive");
  }, 60_000);

  it("are stored by the first poll of a start, judged by the rules, once", async () => {
    const { env, path } = await simulatedOrg(200);
    expect((await runCli(["poll", "--once"], env)).code).toBe(0);
    quarantine(path, [["q-1", callWithNull("q-1")], ...BROKEN]);

    const poll = await runCli(["poll", "--once"], { ...env, LOG_LEVEL: "info" });
    expect(poll.code, poll.stderr).toBe(0);
    expect(poll.stderr).toContain(
      "reading 3 quarantined items again: those this build reads are stored as events",
    );
    expect(poll.stderr).toContain(
      `1 of the 3 quarantined items read again were stored as events (arrived late: the rules judge them, the export sends them); 2 stay quarantined`,
    );
    const after = read(path);
    expect(after).toMatchObject({
      stored: [{ id: "q-1", is_mcp: 1, tool: "deleteJiraIssue", backfilled: 0 }],
      quarantined: BROKEN.map(([, raw]) => raw),
    });
    expect(after.alerts).not.toEqual([]);
    expect(after.counted).toBe(after.rows);

    // The next start reads what is left again, and stores nothing twice.
    const again = await runCli(["poll", "--once"], { ...env, LOG_LEVEL: "info" });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(
      "0 of the 2 quarantined items read again were stored as events (arrived late: the rules judge them, the export sends them); 2 stay quarantined",
    );
    expect(read(path)).toMatchObject({ stored: after.stored, rows: after.rows });
  });

  it("a large quarantine: progress, and a run killed part-way loses nothing, stores nothing twice", async () => {
    const { env, path } = await simulatedOrg(200);
    expect((await runCli(["poll", "--once"], env)).code).toBe(0);
    const time = new Date().toISOString();
    const many = Array.from(
      { length: 30_000 },
      (_, i) => [`q-${i}`, callWithNull(`q-${i}`, time)] as const,
    );
    quarantine(path, many);
    const before = read(path).rows;

    const child = spawn(process.execPath, [CLI, "reclassify"], {
      env: childEnv({ DATABASE_PATH: path }),
    });
    const done = collect(child);
    await new Promise<void>((resolve) => {
      let text = "";
      child.stderr.on("data", (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes("quarantined items read again")) {
          child.kill("SIGKILL");
          resolve();
        }
      });
      child.once("close", () => resolve());
    });
    const killed = await done;
    expect(killed.signal).toBe("SIGKILL");
    expect(killed.stderr).toContain("reclassify: 10000 of 30000 quarantined items read again\n");
    const cut = read(path);
    expect(cut.stored.length).toBeGreaterThanOrEqual(10_000);
    expect(cut.stored.length).toBeLessThan(30_000);
    expect(cut.stored.length + cut.quarantined.length).toBe(30_000);
    expect(cut.counted).toBe(cut.rows);

    const again = await runCli(["reclassify"], { DATABASE_PATH: path });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(
      `org-cli: ${cut.quarantined.length} of ${cut.quarantined.length} quarantined items stored as events`,
    );
    const whole = read(path);
    expect(whole.stored).toHaveLength(30_000);
    expect(new Set(whole.stored.map((e) => (e as { id: string }).id)).size).toBe(30_000);
    expect(whole.quarantined).toEqual([]);
    expect(whole.rows).toBe(before + 30_000);
    expect(whole.counted).toBe(whole.rows);
  }, 120_000);
});

describe("quarantined items whose id is stored already", () => {
  it("`reclassify`: the same content is taken out, other content stays and is said, nothing stored", async () => {
    const { env, path } = await simulatedOrg(200);
    expect((await runCli(["poll", "--once"], env)).code).toBe(0);
    const time = new Date().toISOString();
    quarantine(path, [["q-1", callWithNull("q-1", time, false)]]);
    expect((await runCli(["reclassify"], { DATABASE_PATH: path })).code).toBe(0);
    const before = read(path);
    expect(before.stored).toHaveLength(1);
    // The version stored again, and a version of it with other content.
    quarantine(path, [
      ["q-1", callWithNull("q-1", time, false)],
      ["q-1", callWithNull("q-1", time, true)],
    ]);

    const result = await runCli(["reclassify"], { DATABASE_PATH: path });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      "org-cli: 0 of 2 quarantined items stored as events (this build reads them; the bot's rules judge them as late events); 1 stored already, taken out; 1 came again under an id already stored with other content, kept in the quarantine (see docs/troubleshooting.md); 1 stay quarantined\n",
    );
    expect(result.stderr).toContain(
      `reclassify: ${CHANGED_AGAIN}: event q-1 of org-cli, fields attributes.context\n`,
    );
    const after = read(path);
    expect({ rows: after.rows, quarantined: after.quarantined }).toEqual({
      rows: before.rows,
      quarantined: [callWithNull("q-1", time, true)],
    });
  }, 60_000);

  it("the bot: other content is warned of as a poll warns of it, and counted", async () => {
    const r = await rig({ hours: 1 });
    const orgId = r.sim.orgId;
    const time = new Date(r.clock.now()).toISOString();
    const item = (raw: string) => [orgId, "q-1", "an error", raw, r.clock.now()];
    const insert = r.db.prepare(
      "INSERT INTO quarantined_events (org_id, event_id, error, raw, received_at) VALUES (?, ?, ?, ?, ?)",
    );
    // Stored by the pass after the first poll of one start.
    insert.run(...item(callWithNull("q-1", time, false)));
    await r.poller.pollOnce();
    expect(r.count("id = 'q-1'")).toBe(1);
    // After the next start: the same version, and one with other content.
    insert.run(...item(callWithNull("q-1", time, false)));
    insert.run(...item(callWithNull("q-1", time, true)));
    const metrics = new Metrics();
    const next = pollerVia(r, r.sim.url, { onStored: (added) => metrics.stored(orgId, added) });
    const from = r.logs.lines().length;
    r.clock.advance(2 * MINUTE);
    await next.pollOnce();

    const said = r.logs
      .lines()
      .slice(from)
      .filter((l) => String(l.msg).includes("quarantined items") || l.msg === CHANGED_AGAIN);
    expect(said).toEqual([
      expect.objectContaining({
        msg: expect.stringContaining("reading 2 quarantined items again"),
      }),
      expect.objectContaining({
        level: 40,
        msg: CHANGED_AGAIN,
        eventId: "q-1",
        orgId,
        fields: ["attributes.context"],
      }),
      expect.objectContaining({
        level: 40,
        msg: expect.stringContaining(
          "0 of the 2 quarantined items read again were stored as events (arrived late: the rules judge them, the export sends them); 1 stored already, taken out; 1 came again under an id already stored with other content, kept in the quarantine (see docs/troubleshooting.md); 1 stay quarantined",
        ),
      }),
    ]);
    expect(r.count("id = 'q-1'")).toBe(1);
    expect(r.db.prepare("SELECT raw FROM quarantined_events").pluck().all()).toEqual([
      callWithNull("q-1", time, true),
    ]);
    expect(await metrics.render()).toContain(`mcp_activity_events_changed_total{org="${orgId}"} 1`);
  });

  it("the bot: a pass that failed part-way goes on from where it got to, other content counted once", async () => {
    const r = await rig({ hours: 1 });
    const orgId = r.sim.orgId;
    const time = new Date(r.clock.now()).toISOString();
    const insert = r.db.prepare(
      "INSERT INTO quarantined_events (org_id, event_id, error, raw, received_at) VALUES (?, ?, 'an error', ?, ?)",
    );
    insert.run(orgId, "q-1", callWithNull("q-1", time, false), r.clock.now());
    await r.poller.pollOnce();
    expect(r.count("id = 'q-1'")).toBe(1);
    // After the next start: q-1 with other content first, then 60 items no build reads.
    insert.run(orgId, "q-1", callWithNull("q-1", time, true), r.clock.now());
    for (let i = 0; i < 60; i++) insert.run(orgId, null, `not json ${i}`, r.clock.now());
    // Its second chunk fails once (a disk error, say).
    const stores = repositories(r.db);
    const quarantine = stores.quarantineRecovery;
    const read = quarantine.after.bind(quarantine);
    const asked: number[] = [];
    quarantine.after = (org, seq, limit) => {
      asked.push(seq);
      if (asked.length === 2) throw new Error("disk I/O error");
      return read(org, seq, limit);
    };
    const metrics = new Metrics();
    const next = pollerVia(r, r.sim.url, {
      stores,
      onStored: (added) => metrics.stored(orgId, added),
    });
    r.clock.advance(2 * MINUTE);
    await next.pollOnce();
    r.clock.advance(2 * MINUTE);
    await next.pollOnce();

    // From the first; the failed chunk; then that chunk again, not the first one, and the end.
    expect(asked).toEqual([0, asked[1], asked[1], asked[3]]);
    expect(asked[1]).toBeGreaterThan(0);
    expect(await metrics.render()).toContain(`mcp_activity_events_changed_total{org="${orgId}"} 1`);
    expect(r.db.prepare("SELECT count(*) FROM quarantined_events").pluck().get()).toBe(61);
  });
});

describe("a quarantined item whose event retention deleted", () => {
  it("is not stored anew by the next start: taken out of the quarantine, and said", async () => {
    const r = await rig({ hours: 1 });
    const orgId = r.sim.orgId;
    const time = new Date(r.clock.now() - 3 * DAY).toISOString();
    const insert = r.db.prepare(
      "INSERT INTO quarantined_events (org_id, event_id, error, raw, received_at) VALUES (?, ?, 'an error', ?, ?)",
    );
    // A call of 3 days ago stored from the quarantine; later the stream gave it with other content.
    insert.run(orgId, "q-1", callWithNull("q-1", time, false), r.clock.now());
    await r.poller.pollOnce();
    expect(r.count("id = 'q-1'")).toBe(1);
    r.clock.advance(DAY);
    insert.run(orgId, "q-1", callWithNull("q-1", time, true), r.clock.now());
    // The rules have read it; retention (2 days) deletes the event, not the copy received since.
    const evaluated = r.db.prepare("SELECT max(seq) FROM event_rows").pluck().get();
    r.db
      .prepare("INSERT INTO detection_state (org_id, last_seq, updated_at) VALUES (?, ?, ?)")
      .run(orgId, evaluated, r.clock.now());
    const before = r.clock.now() - 2 * DAY;
    expect(new RetentionStore(r.db).pruneEvents(orgId, before, 1000)).toBeGreaterThan(0);
    expect(new RetentionStore(r.db).pruneQuarantined(orgId, before, 1000)).toBe(0);
    new PrunedBeforeStore(r.db).record(orgId, before, r.clock.now());
    expect(r.count("id = 'q-1'")).toBe(0);

    const from = r.logs.lines().length;
    r.clock.advance(2 * MINUTE);
    await pollerVia(r, r.sim.url).pollOnce();
    expect(r.count("id = 'q-1'")).toBe(0);
    expect(r.db.prepare("SELECT count(*) FROM quarantined_events").pluck().get()).toBe(0);
    const said = r.logs
      .lines()
      .slice(from)
      .map((l) => String(l.msg))
      .filter((msg) => msg.includes("quarantined items read again"));
    expect(said).toEqual([
      "0 of the 1 quarantined items read again were stored as events (arrived late: the rules judge them, the export sends them); 1 of events retention deleted (older than RETENTION_DAYS), taken out; 0 stay quarantined",
    ]);
  });
});

describe("a call the backfill quarantined without processedAt, read again", () => {
  for (const command of ["reclassify", "poll"] as const)
    it(`by ${command}: stays history, never alerted on`, async () => {
      const { env, path } = await simulatedOrg(200);
      expect((await runCli(["poll", "--once"], env)).code).toBe(0);
      const call = JSON.parse(callWithNull("q-1", new Date(Date.now() - 30 * DAY).toISOString()));
      delete call.attributes.processedAt;
      const db = new Database(path);
      const doneAt = db.prepare("SELECT backfill_done_at FROM poll_state").pluck().get() as number;
      // Received by the backfill (read live, an event with no processing time would be live).
      db.prepare(
        "INSERT INTO quarantined_events (org_id, event_id, error, raw, received_at) VALUES ('org-cli', 'q-1', 'attributes.context.1: must be an object, got null', ?, ?)",
      ).run(JSON.stringify(call), doneAt);
      db.close();

      const result =
        command === "poll"
          ? await runCli(["poll", "--once"], env)
          : await runCli(["reclassify"], { DATABASE_PATH: path });
      expect(result.code, result.stderr).toBe(0);
      // The next poll judges what reclassify stored.
      if (command === "reclassify") expect((await runCli(["poll", "--once"], env)).code).toBe(0);
      expect(read(path)).toMatchObject({
        stored: [{ id: "q-1", is_mcp: 1, backfilled: 1 }],
        alerts: [],
      });
    }, 60_000);
});

describe("the quarantine is read again once per start of the bot", () => {
  it("so an item quarantined after a pass of a build of the same version is read by the next start", async () => {
    const { env, path } = await simulatedOrg(200);
    // A build of this version read the quarantine through; then it quarantined a call.
    expect((await runCli(["poll", "--once"], env)).code).toBe(0);
    const db = new Database(path);
    db.prepare(
      "INSERT INTO quarantined_events (org_id, event_id, error, raw, received_at) VALUES ('org-cli', 'q-1', 'attributes.context.1: must be an object, got null', ?, ?)",
    ).run(callWithNull("q-1"), Date.now());
    db.close();
    // This build reads it, started after.
    expect((await runCli(["poll", "--once"], env)).code).toBe(0);
    expect(read(path)).toMatchObject({ stored: [{ id: "q-1", backfilled: 0 }], quarantined: [] });
  }, 60_000);

  it("and not again until the next start", async () => {
    const r = await rig({ hours: 1 });
    const orgId = r.sim.orgId;
    const insert = r.db.prepare(
      "INSERT INTO quarantined_events (org_id, event_id, error, raw, received_at) VALUES (?, ?, 'an error', ?, ?)",
    );
    const passes = () =>
      r.logs.lines().filter((l) => String(l.msg).includes("quarantined items again")).length;
    insert.run(orgId, "q-1", callWithNull("q-1"), r.clock.now());
    await r.poller.pollOnce();
    expect({ passes: passes(), stored: r.count("id = 'q-1'") }).toEqual({ passes: 1, stored: 1 });
    insert.run(orgId, "q-2", callWithNull("q-2"), r.clock.now());
    r.clock.advance(2 * MINUTE);
    await r.poller.pollOnce();
    expect({ passes: passes(), stored: r.count("id = 'q-2'") }).toEqual({ passes: 1, stored: 0 });
    r.clock.advance(2 * MINUTE);
    await pollerVia(r, r.sim.url).pollOnce();
    expect({ passes: passes(), stored: r.count("id = 'q-2'") }).toEqual({ passes: 2, stored: 1 });
  });
});

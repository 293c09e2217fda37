/**
 * Alerts below minSeverity are counted in the digest and never posted: nobody sees or touches
 * them, and they stay open. Once their last finding is older than the retention, the daily pass
 * deletes them, and the events only they kept go with them; an alert anyone saw, or that anything
 * still names, stays.
 */
import { describe, expect, it } from "vitest";
import type { Alert } from "../../src/domain/alert.js";
import { Pruner } from "../../src/retention/pruner.js";
import { AlertStore } from "../../src/store/alerts.js";
import type { Db } from "../../src/store/db.js";
import { repositories } from "../../src/store/repositories.js";
import { anAlert } from "../detect/fixtures.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { capturedLogger } from "../helpers/logs.js";
import { DAY, NOW, retentionDb } from "./seed.js";

type Seeded = ReturnType<typeof retentionDb>;

/** An alert below minSeverity over events that happened `daysAgo` days before NOW. */
function unposted(s: Seeded, daysAgo: number, events = 3, overrides: Partial<Alert> = {}): number {
  const seqs = s.addEvents(events, daysAgo);
  const at = NOW - daysAgo * DAY;
  const alerts = new AlertStore(s.db);
  const [first = 0, ...rest] = seqs;
  const id = alerts.insert(
    anAlert({
      ruleId: "mcp-write",
      severity: "low",
      groupKey: `mcp-write|acc-alice|${daysAgo}`,
      notify: false,
      firstEventSeq: first,
      lastEventSeq: first,
      firstSeen: at,
      lastSeen: at,
      createdAt: at,
      updatedAt: at,
      ...overrides,
    }),
  );
  for (const seq of rest)
    alerts.grow(
      { id, orgId: "org-1" },
      { seq, time: at, late: false, tools: ["createJiraIssue"], severity: "low", notify: false },
      at,
    );
  return id;
}

async function prune(s: Seeded, exporting?: ReadonlySet<string>) {
  const logs = capturedLogger("info");
  const result = await new Pruner({
    stores: repositories(s.db),
    clock: new VirtualClock(NOW),
    logger: logs.logger,
    retentionDays: 400,
    exporting,
  }).pruneOnce();
  return { result, logs };
}

const exists = (db: Db, id: number) =>
  db.prepare("SELECT 1 FROM alerts WHERE id = ?").get(id) !== undefined;

const rows = (db: Db, sql: string, ...args: unknown[]) =>
  (db.prepare(sql).get(...args) as { n: number }).n;

/** The counters the metrics read equal to a count of the alerts. */
function countersMatch(db: Db): void {
  const counted = db
    .prepare("SELECT org_id, rule_id, severity, n FROM alert_counts WHERE n > 0 ORDER BY 1, 2, 3")
    .all();
  const full = db
    .prepare(
      "SELECT org_id, rule_id, severity, count(*) AS n FROM alerts GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
    )
    .all();
  expect(counted).toEqual(full);
}

describe("the daily pass and the alerts nobody saw", () => {
  it("deletes an old one with its links, changes and the events only it kept", async () => {
    const s = retentionDb();
    const old = unposted(s, 420, 50);
    const recent = unposted(s, 10, 5);
    expect(rows(s.db, "SELECT count(*) AS n FROM alert_changes WHERE alert_id = ?", old)).toBe(1);

    const { result, logs } = await prune(s);

    expect(result.alerts).toBe(1);
    expect(exists(s.db, old)).toBe(false);
    expect(exists(s.db, recent)).toBe(true);
    expect(rows(s.db, "SELECT count(*) AS n FROM alert_events WHERE alert_id = ?", old)).toBe(0);
    expect(rows(s.db, "SELECT count(*) AS n FROM alert_changes WHERE alert_id = ?", old)).toBe(0);
    // Its 50 events went in the same pass; the recent alert's 5 stay.
    expect(result.events).toBe(50);
    expect(s.count("events")).toBe(5);
    countersMatch(s.db);
    expect(logs.lines().find((l) => String(l.msg).startsWith("retention: pruned"))).toMatchObject({
      alertsPruned: 1,
      msg: "retention: pruned 50 events, 1 alert nobody saw and 0 quarantined items older than 400 days",
    });
  });

  it("deletes thousands a batch at a time, the counters equal to a full count", async () => {
    const s = retentionDb();
    const ids = Array.from({ length: 450 }, (_, i) => unposted(s, 401 + (i % 30), 1));
    unposted(s, 1, 1);

    const { result } = await prune(s);

    expect(result.alerts).toBe(450);
    expect(ids.some((id) => exists(s.db, id))).toBe(false);
    expect(s.count("alerts")).toBe(1);
    expect(s.count("events")).toBe(1);
    countersMatch(s.db);
  });

  it("never deletes the newest alert: SQLite would give its id again", async () => {
    const s = retentionDb();
    const posted = unposted(s, 420, 1, { notify: true });
    const newest = unposted(s, 420);
    // The newest change is another alert's: acknowledged since.
    s.db
      .prepare(
        `INSERT INTO alert_trail (org_id, alert_id, at, actor, from_status, to_status)
         VALUES ('org-1', ?, ?, 'U1', 'open', 'acknowledged')`,
      )
      .run(posted, NOW);

    expect((await prune(s)).result.alerts).toBe(0);
    expect(exists(s.db, newest)).toBe(true);
    expect(s.count("events")).toBe(4);
  });

  it("never deletes the alert of the newest change: the export's position counts on its id", async () => {
    const s = retentionDb();
    const old = unposted(s, 420);
    unposted(s, 1, 1);
    // Its severity changed after the newer alert was raised (the time it says is its own).
    setAlert(s.db, old, "severity = 'medium'");

    expect((await prune(s)).result.alerts).toBe(0);
    expect(exists(s.db, old)).toBe(true);
  });

  // Each row: what keeps an old alert nobody was shown, done to it before the pass.
  const keepers: [string, (s: Seeded, id: number) => void][] = [
    ["posted (minSeverity met)", (s, id) => setAlert(s.db, id, "notify = 1")],
    [
      'hidden by a mute still running (a "not me" raises it again)',
      (s, id) => {
        setAlert(s.db, id, "suppressed_by = 'muted by <@U1>'");
        repositories(s.db).mutes.add(
          "org-1",
          { ruleId: "mcp-write", userKey: "acc-alice", until: NOW + DAY, reason: "muted" },
          "U1",
          NOW - DAY,
        );
      },
    ],
    [
      "hidden by a suppression in place",
      (s, id) => {
        setAlert(s.db, id, "suppressed_by = 'suppressed by <@U1>: the sync bot'");
        repositories(s.db).suppressions.add(
          "org-1",
          { ruleId: "mcp-write", userKey: "acc-alice", reason: "the sync bot", alertId: null },
          "U1",
          NOW - DAY,
        );
      },
    ],
    ["marked expected", (s, id) => setAlert(s.db, id, "status = 'expected'")],
    // The rules judging old calls again (a reclassify): raised since the cut about old events.
    ["raised since the cut", (s, id) => setAlert(s.db, id, `created_at = ${NOW - DAY}`)],
    ["grown since the cut", (s, id) => setAlert(s.db, id, `updated_at = ${NOW - DAY}`)],
    [
      "counted in a message (a delivery)",
      naming(`INSERT INTO deliveries (org_id, alert_id, channel, revision, via_summary, attempted_at)
           VALUES ('org-1', ?, 'C1', 1, 1, ?)`),
    ],
    [
      "with a trail",
      naming(`INSERT INTO alert_trail (org_id, alert_id, at, actor, from_status, to_status, note)
           VALUES ('org-1', ?, ?, 'U1', 'open', 'open', 'a note')`),
    ],
    [
      "asked about",
      naming(`INSERT INTO alert_followups (org_id, alert_id, ask_state, created_at)
           VALUES ('org-1', ?, 'sent', ?)`),
    ],
    [
      "raised by a weekly check",
      naming(`INSERT INTO attestations (org_id, week_start, week_end, account_id, slack_user, calls,
             writes, deletes, places, alert_id, created_at)
           VALUES ('org-1', 0, 1, 'acc-alice', 'U1', 1, 1, 0, '[]', ?, ?)`),
    ],
    [
      "a suppression added from it",
      naming(`INSERT INTO suppressions (org_id, rule_id, user_key, reason, alert_id, created_by, created_at)
           VALUES ('org-1', 'mcp-write', 'acc-alice', 'bot account', ?, 'U1', ?)`),
    ],
  ];

  it.each(keepers)("keeps one %s, with its events", async (_, keep) => {
    const s = retentionDb();
    const id = unposted(s, 420, 4);
    keep(s, id);
    unposted(s, 1, 1);

    expect((await prune(s)).result.alerts).toBe(0);
    expect(exists(s.db, id)).toBe(true);
    expect(s.count("events")).toBe(5);
    countersMatch(s.db);
  });

  it("keeps one until the SIEM export has delivered its changes", async () => {
    const s = retentionDb();
    const id = unposted(s, 420);
    unposted(s, 1, 1);
    const raised = rows(s.db, "SELECT id AS n FROM alert_changes WHERE alert_id = ?", id);
    const stores = repositories(s.db);
    const exporting = new Set(["org-1"]);
    stores.export.commit(
      "org-1",
      { mcp_event: 1_000, alert: raised - 1 },
      { at: NOW, to: "receiver" },
    );

    expect((await prune(s, exporting)).result.alerts).toBe(0);
    expect(exists(s.db, id)).toBe(true);

    stores.export.commit("org-1", { mcp_event: 1_000, alert: raised }, { at: NOW, to: "receiver" });
    expect((await prune(s, exporting)).result.alerts).toBe(1);
    expect(exists(s.db, id)).toBe(false);
  });
});

/** A row of another table naming the alert (`?`: its id, then NOW). */
function naming(sql: string): (s: Seeded, id: number) => void {
  return (s, id) => {
    s.db.prepare(sql).run(id, NOW);
  };
}

function setAlert(db: Db, id: number, set: string): void {
  db.prepare(`UPDATE alerts SET ${set} WHERE id = ?`).run(id);
}

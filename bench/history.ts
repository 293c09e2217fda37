import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { NormalizedEvent } from "../src/domain/event.js";
import { buildCatalog } from "../src/ingest/classify.js";
import { normalize } from "../src/ingest/normalize.js";
import { SyntheticOrg } from "../src/simulator/index.js";
import type { Db } from "../src/store/db.js";
import { openStore } from "../src/store/open.js";
import { repositories } from "../src/store/repositories.js";
import { FIRST_ALERT } from "../src/store/unposted-alerts.js";
import { DAY, HOUR } from "../src/time-units.js";
import { percentile } from "./percentile.js";

const SIZES = [1_000, 10_000, 50_000];
const EVENTS = 20_000;
const RUNS = 20;
const RULES = ["mcp-destructive", "mcp-new-tool", "mcp-off-hours", "mcp-burst", "mcp-api-token"];

/** A deterministic sequence in [0, 1), so every run builds the same stores. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/**
 * A store as a year of running leaves it: `alerts` alerts, four in five posted (most acknowledged,
 * a few expected, open or true; nine in ten posted alone and followed up, the rest in summaries
 * and roll-ups), the others never posted and left open; each about a few of 20,000 events of
 * 200 days, half of them past a 90-day retention. A few people are behind most alerts.
 */
function build(db: Db, alerts: number, now: number): { orgId: string; busiest: string } {
  const org = new SyntheticOrg({
    seed: 7,
    orgId: "org-history",
    people: 200,
    intervalMs: Math.floor((200 * DAY) / EVENTS),
    start: now - 200 * DAY,
  });
  const stores = repositories(db);
  const catalog = buildCatalog(
    org.catalog.map((c) => ({ action: c.id, displayName: null, groupName: null })),
  );
  const events: NormalizedEvent[] = [];
  for (let i = 0; i < EVENTS; i++) {
    const result = normalize(org.eventAt(i), { orgId: org.orgId, catalog, backfillUntil: null });
    if (result.ok) events.push(result.event);
  }
  db.transaction(() => stores.events.insertMany(events, now))();
  const maxSeq = stores.events.maxSeq(org.orgId);
  stores.alerts.setLastEvaluated(org.orgId, maxSeq, now);
  const people = [...new Set(events.map((e) => e.userId).filter((u) => u !== null))];
  const next = random(42);
  const someone = () => people[Math.floor(people.length * next() ** 3)] ?? "unknown";
  const alert = db.prepare(
    `INSERT INTO alerts (org_id, rule_id, severity, status, group_key, title, detail, user_id, auth_kind,
       first_event_seq, last_event_seq, first_seen, last_seen, event_count, notify, revision, created_at, updated_at)
     VALUES (@orgId, @rule, @severity, @status, @group, 'title', '{}', @user, 'oauth', @seq, @seq, @at, @at,
       @count, @notify, @count, @at, @at)`,
  );
  const about = db.prepare(
    "INSERT OR IGNORE INTO alert_events (org_id, alert_id, event_seq) VALUES (?, ?, ?)",
  );
  const trail = db.prepare(
    "INSERT INTO alert_trail (org_id, alert_id, at, actor, from_status, to_status) VALUES (?, ?, ?, 'U1', 'open', ?)",
  );
  const { deliveries, followUps } = stores;
  db.transaction(() => {
    for (let i = 0; i < alerts; i++) {
      const at = now - 365 * DAY + Math.floor((i / alerts) * 365 * DAY);
      const rule = RULES[i % RULES.length] ?? "mcp-destructive";
      const user = someone();
      const notify = next() < 0.8;
      const r = next();
      const status = !notify
        ? "open"
        : r < 0.93
          ? "acknowledged"
          : r < 0.97
            ? "expected"
            : r < 0.99
              ? "true_positive"
              : "open";
      const count = 1 + Math.floor(next() * 4);
      const seq = 1 + Math.floor(next() * maxSeq);
      const id = Number(
        alert.run({
          orgId: org.orgId,
          rule,
          severity: notify ? "high" : "low",
          status,
          group: `${rule}|${user}`,
          user,
          seq,
          at,
          count,
          notify: notify ? 1 : 0,
        }).lastInsertRowid,
      );
      for (let k = 0; k < count; k++) about.run(org.orgId, id, seq + k);
      if (status !== "open") trail.run(org.orgId, id, at + HOUR, status);
      if (!notify) continue;
      const d = next();
      if (d < 0.9) {
        deliveries.markQueued(org.orgId, id, "C1", count, at);
        deliveries.markDelivered(org.orgId, id, "C1", `${i}.000001`, count, at + 1_000);
        followUps.start(org.orgId, id, { state: "none" }, null, at);
      } else if (d < 0.95) deliveries.markSummarised(org.orgId, [id], "C1", at);
      else deliveries.markRolledUp(org.orgId, id, "C1", count, Math.floor(at / HOUR) * HOUR, at);
    }
  })();
  return { orgId: org.orgId, busiest: people[0] ?? "unknown" };
}

/** The p50 of `read` over RUNS runs, in ms. */
function timed(read: () => unknown): number {
  for (let i = 0; i < 3; i++) read();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    read();
    times.push(performance.now() - started);
  }
  return percentile(
    times.sort((a, b) => a - b),
    50,
  );
}

/**
 * What the bot reads on its timers and at each view, in stores holding a year of alerts: alerts,
 * deliveries, follow-ups, their trail and the events they are about are never pruned, so each
 * read must cost what is pending, open or asked for, not what the history holds.
 */
export async function benchHistory(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "mcp-activity-bench-"));
  const now = Date.now();
  const rows: Array<[string, number[]]> = [];
  try {
    for (const [n, size] of SIZES.entries()) {
      const db = openStore(join(dir, `history-${size}.db`));
      const { orgId, busiest } = build(db, size, now);
      const s = repositories(db);
      const group = `mcp-destructive|${busiest}`;
      const reads: Array<[string, () => unknown]> = [
        [
          "alert producer's pass (every drain, >= 1/s)",
          () => [s.deliveries.pending(orgId, 20), s.deliveries.backlog(orgId)],
        ],
        [
          "follow-ups' pass (every 15 s)",
          () => [s.followUps.unseen(orgId), s.followUps.dueReminders(orgId, now)],
        ],
        ["a finding's open group (each finding)", () => s.alerts.findGroup(orgId, group, now, DAY)],
        [
          "what responders taught (each alert shown)",
          () => s.alerts.expectedSince(orgId, "mcp-destructive", busiest, now - 90 * DAY),
        ],
        [
          "a responder's App Home (each view)",
          () => [s.home.openAlerts(orgId, 10), s.home.openBySeverity(orgId)],
        ],
        ['a "not me" (each click)', () => s.home.notMeSaid(orgId, [busiest], now - DAY, now)],
        [
          "an hour's roll-up (each alert past the budget)",
          () => s.deliveries.rolledUpIn(orgId, Math.floor(now / HOUR) * HOUR),
        ],
        [
          "a retention batch of 1,000 events",
          () => {
            db.exec("BEGIN");
            s.retention.pruneEvents(orgId, now - 90 * DAY, 1_000);
            db.exec("ROLLBACK");
          },
        ],
        [
          "a retention batch of 200 alerts nobody saw",
          () => {
            db.exec("BEGIN");
            s.unpostedAlerts.pruneBatch(orgId, now - 90 * DAY, now, 200, FIRST_ALERT);
            db.exec("ROLLBACK");
          },
        ],
      ];
      for (const [i, [label, read]] of reads.entries()) {
        const row: [string, number[]] = rows[i] ?? [label, []];
        rows[i] = row;
        row[1][n] = timed(read);
      }
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const head = SIZES.map((size) => `${size.toLocaleString("en-US")} alerts`.padStart(14));
  console.log(`${"read (p50 ms)".padEnd(48)}${head.join("")}   largest / smallest`);
  for (const [label, times] of rows) {
    const cells = times.map((t) => t.toFixed(3).padStart(14)).join("");
    const ratio = (times.at(-1) ?? 0) / (times[0] || Number.EPSILON);
    console.log(`${label.padEnd(48)}${cells}   ${ratio.toFixed(1)}x`);
  }
}

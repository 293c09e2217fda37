import type { NewAlert } from "../src/domain/alert.js";
import type { AuthKind } from "../src/domain/event.js";
import type { Db } from "../src/store/db.js";
import { repositories } from "../src/store/repositories.js";
import { DAY, HOUR, MINUTE } from "../src/time-units.js";

/**
 * Alerts a day at the default rules below `minSeverity` (never posted, open, in the digest only):
 * the rate the 500-person simulator raised at 25,000 MCP calls a day.
 */
const DIGEST_ONLY_PER_DAY = 1_930;
/** Of those, `mcp-write` (low); the others `mcp-api-token` (medium). */
const WRITES = 0.87;
/** Of those, grown once by a second call a minute later. */
const GROWN = 0.3;
/** Alerts a day posted to the channel, delivered and followed up. */
const POSTED_PER_DAY = 10;
const POSTED_RULES = [
  "mcp-destructive",
  "mcp-new-location",
  "mcp-first-use",
  "mcp-api-token",
  "mcp-settings-changed",
];
const YEAR_DAYS = 365;
/** Alerts inserted per transaction. */
const CHUNK = 20_000;

interface McpEvent {
  readonly seq: number;
  readonly time: number;
  readonly userId: string | null;
  readonly userName: string | null;
  readonly userEmail: string | null;
  readonly tool: string | null;
  readonly authKind: AuthKind;
}

export interface YearStore {
  /** The time of the store's last event: the year's alerts end there. */
  readonly end: number;
  readonly alerts: number;
  readonly open: number;
  readonly posted: number;
}

/** A deterministic sequence in [0, 1), so every run builds the same store. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/**
 * Adds a year of alerts at the default rules' rates to a store of events (the 1M-event store),
 * with the store's own functions: each day DIGEST_ONLY_PER_DAY alerts kept out of the channel
 * (open, counted in the digest), and POSTED_PER_DAY posted ones (delivered, followed up, most
 * acknowledged through the trail), over the 365 days ending at the store's last event. Each is
 * about an MCP call of the store near its time (any call before the store's first).
 */
export function addYearOfAlerts(
  db: Db,
  orgId: string,
  progress: (line: string) => void,
): YearStore {
  const stores = repositories(db);
  const calls = db
    .prepare<[string], McpEvent>(
      `SELECT seq, time, user_id AS userId, user_name AS userName, user_email AS userEmail, tool,
         auth_kind AS authKind FROM events WHERE org_id = ? AND is_mcp = 1 ORDER BY time`,
    )
    .all(orgId);
  const first = calls[0];
  const last = calls.at(-1);
  if (first === undefined || last === undefined) throw new Error(`no MCP calls in ${db.name}`);
  const end = last.time;
  const start = end - YEAR_DAYS * DAY;
  const next = random(12345);
  const near = (time: number): McpEvent => {
    const at =
      time < first.time
        ? Math.floor(next() * calls.length)
        : Math.floor(((time - first.time) / (end - first.time)) * calls.length);
    return calls[Math.min(calls.length - 1, at)] ?? last;
  };
  const alertOf = (
    e: McpEvent,
    at: number,
    ruleId: string,
    severity: NewAlert["severity"],
    notify: boolean,
  ): NewAlert => ({
    orgId,
    ruleId,
    severity,
    groupKey: `${ruleId}|${e.userId ?? "?"}`,
    title: `${e.tool ?? "tool"} by ${e.userName ?? e.userEmail ?? "someone"}`,
    detail: { tool: e.tool, resource: "OPS-123" },
    userId: e.userId,
    userName: e.userName,
    userEmail: e.userEmail,
    authKind: e.authKind,
    firstEventSeq: e.seq,
    lastEventSeq: e.seq,
    firstSeen: at,
    lastSeen: at,
    eventCount: 1,
    tools: [e.tool ?? "tool"],
    late: false,
    suppressedBy: null,
    notify,
    createdAt: at + MINUTE,
  });

  const digestOnly = DIGEST_ONLY_PER_DAY * YEAR_DAYS;
  for (let from = 0; from < digestOnly; from += CHUNK) {
    const to = Math.min(digestOnly, from + CHUNK);
    db.transaction(() => {
      for (let i = from; i < to; i++) {
        const at = start + Math.floor((i / digestOnly) * YEAR_DAYS * DAY);
        const e = near(at);
        const write = next() < WRITES;
        const severity: NewAlert["severity"] = write ? "low" : "medium";
        const rule = write ? "mcp-write" : "mcp-api-token";
        const id = stores.alerts.insert(alertOf(e, at, rule, severity, false));
        if (next() >= GROWN) continue;
        const growth = near(at + MINUTE);
        const tools = [e.tool ?? "tool"];
        const grown = { seq: growth.seq, time: at + MINUTE, late: false, tools, severity };
        stores.alerts.grow({ id, orgId }, { ...grown, notify: false }, at + 2 * MINUTE);
      }
    })();
    if (to % 100_000 < CHUNK || to === digestOnly)
      progress(`  the year store: ${to.toLocaleString("en-US")} digest-only alerts…`);
  }

  const posted = POSTED_PER_DAY * YEAR_DAYS;
  db.transaction(() => {
    for (let i = 0; i < posted; i++) {
      const at = start + Math.floor((i / posted) * YEAR_DAYS * DAY);
      const rule = POSTED_RULES[i % POSTED_RULES.length] ?? "mcp-destructive";
      const id = stores.alerts.insert(alertOf(near(at), at, rule, "high", true));
      const ts = `${Math.floor(at / 1000)}.${String(i).padStart(6, "0")}`;
      stores.deliveries.markQueued(orgId, id, "C1", 0, at + MINUTE);
      stores.deliveries.markDelivered(orgId, id, "C1", ts, 0, at + MINUTE + 1_000);
      stores.followUps.start(orgId, id, { state: "none" }, null, at + 2 * MINUTE);
      const r = next();
      if (at > end - 2 * DAY && r < 0.5) continue; // half the last two days' left open
      const to =
        r < 0.02 ? null : r < 0.93 ? "acknowledged" : r < 0.98 ? "expected" : "true_positive";
      if (to !== null) stores.trail.change(orgId, id, to, `UR${i % 7}`, at + HOUR, () => true);
    }
  })();

  const count = (sql: string) => db.prepare<[], number>(sql).pluck().get() ?? 0;
  return {
    end,
    alerts: count("SELECT count(*) FROM alerts"),
    open: count("SELECT count(*) FROM alerts WHERE status = 'open'"),
    posted: count("SELECT count(*) FROM alerts WHERE notify = 1"),
  };
}

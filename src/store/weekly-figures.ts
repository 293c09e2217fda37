import type { FirstSeen, RuleOutcome } from "../domain/digest.js";
import type { Db } from "./db.js";
import { newCalls, orgRef, seenBefore } from "./new-calls.js";
import { personRef } from "./person-sql.js";

type Params = Array<string | number>;

/**
 * What the weekly digest adds to a period's figures: the tools and sites first seen in it (in no
 * MCP call a weekly digest before reported), and each rule's outcomes from the alert buttons.
 */
export class WeeklyFigureStore {
  constructor(private readonly db: Db) {}

  /**
   * Tools or sites (`site_host`) used in the MCP calls new to the digest (see `newCalls`) and in
   * none the digests before reported: no call dated before the period stored by the digest before
   * (`seenThrough`, its newest seq). A tool is named as alerts name it: a wrapper with the
   * operation it ran (`executeWrite → createJiraIssueLink`), each operation a tool of its own.
   * Its people as the period's are counted (PERSON): by account id, else e-mail, else name.
   */
  private firstSeen(
    column: "tool" | "site_host",
    orgId: string,
    since: number,
    until: number,
    seenThrough: number | undefined,
  ) {
    const org = orgRef(this.db, orgId);
    if (org === undefined) return [];
    // Each value of the new calls, then a seek per value on an index whose entries carry their
    // seq: (org, column, time); for an operation a wrapper ran, (org, operation, time), whose few
    // entries are each looked up for their wrapper. A wrapper's call naming no operation is new
    // only with the wrapper.
    const operation = column === "tool" ? "operation" : "NULL";
    const calls = newCalls(
      `${column} AS ref, ${operation} AS op, org, user_id, user_email, user_name`,
      org,
      since,
      until,
      seenThrough,
    );
    const used = this.db
      .prepare<Params, FirstSeen & { ref: number; op: number | null }>(
        `SELECT n.ref, n.op, s.value || coalesce(' → ' || o.value, '') AS key, count(*) AS calls,
           count(DISTINCT ${personRef("n")}) AS people
         FROM (${calls.sql}) n JOIN strings s ON s.ref = n.ref LEFT JOIN strings o ON o.ref = n.op
         GROUP BY n.ref, n.op ORDER BY calls DESC, key`,
      )
      .all(...calls.params);
    const earlier = "is_mcp = 1 AND time < ? AND seq <= ? LIMIT 1";
    const bare = this.db.prepare<Params, { one: number }>(
      `SELECT 1 AS one FROM event_rows WHERE org = ? AND ${column} = ? AND ${earlier}`,
    );
    const ran = this.db.prepare<Params, { one: number }>(
      `SELECT 1 AS one FROM event_rows INDEXED BY event_rows_mcp_operation
       WHERE org = ? AND operation = ? AND tool = ? AND ${earlier}`,
    );
    const seen = seenBefore(seenThrough);
    const before = (u: { ref: number; op: number | null }) =>
      u.op === null ? bare.get(org, u.ref, since, seen) : ran.get(org, u.op, u.ref, since, seen);
    return used
      .filter((u) => before(u) === undefined)
      .map(({ key, calls, people }) => ({ key, calls, people }));
  }

  /** MCP calls in each window that starts at one of `starts` (ascending) and ends at the next, or `until`. */
  callsPerWindow(orgId: string, starts: readonly number[], until: number): number[] {
    const counts = starts.map(() => 0);
    const [first] = starts;
    if (first === undefined) return counts;
    const whens = starts.slice(1).map((_, i) => `WHEN time < ? THEN ${i}`);
    const which = whens.length === 0 ? "0" : `CASE ${whens.join(" ")} ELSE ${whens.length} END`;
    const rows = this.db
      .prepare<Params, { i: number; n: number }>(
        `SELECT ${which} AS i, count(*) AS n FROM events
         WHERE org_id = ? AND is_mcp = 1 AND time >= ? AND time < ? GROUP BY i`,
      )
      .all(...starts.slice(1), orgId, first, until);
    for (const { i, n } of rows) counts[i] = n;
    return counts;
  }

  newTools(orgId: string, since: number, until: number, seenThrough?: number): FirstSeen[] {
    return this.firstSeen("tool", orgId, since, until, seenThrough);
  }

  newSites(orgId: string, since: number, until: number, seenThrough?: number): FirstSeen[] {
    return this.firstSeen("site_host", orgId, since, until, seenThrough);
  }

  /** Alerts raised in the period by rule, by their status now (set with the buttons). */
  ruleOutcomes(orgId: string, since: number, until: number): RuleOutcome[] {
    const posted = "notify = 1 AND suppressed_by IS NULL";
    return this.db
      .prepare<Params, RuleOutcome>(
        `SELECT rule_id AS ruleId, count(*) AS raised,
           sum(status = 'true_positive') AS truePositive, sum(status = 'expected') AS expected,
           sum(status = 'acknowledged') AS acknowledged,
           sum(status = 'open' AND ${posted}) AS open,
           sum(status = 'open' AND NOT (${posted})) AS unposted
         FROM alerts WHERE org_id = ? AND created_at >= ? AND created_at < ?
         GROUP BY rule_id ORDER BY raised DESC, rule_id`,
      )
      .all(orgId, since, until);
  }
}

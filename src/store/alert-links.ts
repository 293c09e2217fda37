import type { CountedCalls } from "../domain/alert.js";
import type { Db } from "./db.js";
import { type HeldCalls, leavingHeld } from "./held-calls.js";
import { peopleCalls } from "./people-calls.js";
import { refOf as ref } from "./strings.js";

/**
 * What an alert raised by a person or a responder is about besides its first event: every call
 * it counts. Linked (alert_events), they are kept through retention, as any alert's events are,
 * and a `rule:` or `status:` query finds them all.
 */
export interface AlertAbout {
  /**
   * Every MCP call of these accounts in [since, until) (a "Not me" period: see peopleCalls) but
   * those earlier "not me"s hold.
   */
  readonly calls?: {
    readonly since: number;
    readonly until: number;
    readonly accounts: readonly string[];
    readonly held?: readonly HeldCalls[];
  };
  /** Every event these alerts are about (alerts kept quiet, raised again as one). */
  readonly alerts?: readonly number[];
}

/** Links to alert `alertId` every event `about` names (those linked already stay once). */
export function linkAbout(db: Db, orgId: string, alertId: number, about: AlertAbout): void {
  const { calls, alerts } = about;
  const own = calls && peopleCalls(db, orgId, calls.accounts);
  if (calls && own) {
    const linked = leavingHeld(own, calls.since, calls.until, calls.held);
    db.prepare(
      `INSERT OR IGNORE INTO alert_events (org_id, alert_id, event_seq)
       SELECT @orgId, @alertId, seq FROM event_rows WHERE ${linked.sql}`,
    ).run({ ...linked.params, orgId, alertId });
  }
  if (alerts && alerts.length > 0)
    db.prepare(
      `INSERT OR IGNORE INTO alert_events (org_id, alert_id, event_seq)
       SELECT org_id, ?, event_seq FROM alert_events WHERE org_id = ?
       AND alert_id IN (${alerts.map(() => "?").join(", ")})`,
    ).run(alertId, orgId, ...alerts);
}

/**
 * Links to an alert the MCP calls its title counts (the account's after `from`, up to `to`):
 * a seek on the account's MCP calls by time (event_rows_mcp_user), never a scan.
 */
export function countedLinker(
  db: Db,
): (orgId: string, alertId: number, counted: CountedCalls) => void {
  const statement = db.prepare<{
    orgId: string;
    alertId: number;
    account: string;
    from: number;
    to: number;
  }>(
    `INSERT OR IGNORE INTO alert_events (org_id, alert_id, event_seq)
     SELECT @orgId, @alertId, seq FROM event_rows INDEXED BY event_rows_mcp_user
     WHERE org = ${ref("@orgId")} AND is_mcp = 1 AND user_id = ${ref("@account")}
       AND time > @from AND time <= @to`,
  );
  return (orgId, alertId, { account, from, to }) =>
    statement.run({ orgId, alertId, account, from, to });
}

import { type Alert, NOT_ME_HOME_SOURCE, NOT_ME_RULE } from "../domain/alert.js";
import type { HandledLately } from "../domain/home.js";
import type { Severity } from "../domain/severity.js";
import { type AlertRow, rowToAlert } from "./alerts.js";
import type { HeldCalls } from "./held-calls.js";
import { PeriodCalls } from "./period-calls.js";

/**
 * A "not me" said before: its alert, whether still open, its period and the accounts whose calls
 * it covered (HeldCalls: the calls it holds). One raised before they were recorded covered, when
 * said in the App Home, every account of the person (those looked for now); else its own.
 */
export type NotMeSaid = HeldCalls;

const SEVERITY_ORDER =
  "CASE severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 2 ELSE 3 END";

/**
 * Deliveries `d` of alerts with no message of their own: counted in a roll-up or a summary, or
 * refused by Slack for good (never posted).
 */
const NO_MESSAGE = "(d.via_summary = 1 OR (d.ts IS NULL AND d.failure IS NOT NULL))";

/**
 * What the App Home and the weekly check read: open alerts, those handled with no message of
 * their own, the "not me" said before; and a period's calls (PeriodCalls). Every read is a seek or
 * a range of an index (time, a person's events, open alerts), never a scan of the whole store.
 */
export class HomeStore extends PeriodCalls {
  /**
   * Open alerts meant for the channel, the most severe first; within a severity, first those with
   * no message of their own (NO_MESSAGE: the Home is where they are handled), the oldest first,
   * so that the next come in as those are handled; then the others, the newest first. With the
   * ids of those with no message of their own.
   */
  openAlerts(orgId: string, limit: number): { alerts: Alert[]; unposted: ReadonlySet<number> } {
    const rows = this.all<AlertRow & { unposted: number }>(
      `SELECT a.*, d.alert_id IS NOT NULL AS unposted FROM alerts a
         LEFT JOIN deliveries d ON d.org_id = a.org_id AND d.alert_id = a.id AND ${NO_MESSAGE}
       WHERE a.org_id = ? AND a.status = 'open' AND a.notify = 1
       ORDER BY ${SEVERITY_ORDER}, d.alert_id IS NULL,
         CASE WHEN d.alert_id IS NULL THEN -a.id ELSE a.id END LIMIT ?`,
      orgId,
      limit,
    );
    return {
      alerts: rows.map(rowToAlert),
      unposted: new Set(rows.filter((r) => r.unposted === 1).map((r) => r.id)),
    };
  }

  /** How many open alerts have no message of their own (NO_MESSAGE). */
  openUnposted(orgId: string): number {
    const [row] = this.all<{ n: number }>(
      `SELECT count(*) AS n FROM alerts a
         JOIN deliveries d ON d.org_id = a.org_id AND d.alert_id = a.id AND ${NO_MESSAGE}
       WHERE a.org_id = ? AND a.status = 'open' AND a.notify = 1`,
      orgId,
    );
    return row?.n ?? 0;
  }

  openBySeverity(orgId: string): Partial<Record<Severity, number>> {
    return Object.fromEntries(
      this.all<{ severity: string; n: number }>(
        `SELECT severity, count(*) AS n FROM alerts WHERE org_id = ? AND status = 'open' AND notify = 1
         GROUP BY severity`,
        orgId,
      ).map((r) => [r.severity, r.n]),
    );
  }

  /**
   * The alerts with no message of their own (NO_MESSAGE) whose status a change after `since` set
   * to other than open, the latest change first, `limit` at most. A range of alerts_updated (a
   * change of status updates the alert), each alert's delivery and last change a seek.
   */
  handledUnposted(orgId: string, since: number, limit: number): HandledLately {
    const rows = this.all<AlertRow & { handled_by: string; handled_at: number; total: number }>(
      `SELECT a.*, t.actor AS handled_by, t.at AS handled_at, count(*) OVER () AS total
       FROM alerts a INDEXED BY alerts_updated
         JOIN deliveries d ON d.org_id = a.org_id AND d.alert_id = a.id AND ${NO_MESSAGE}
         JOIN alert_trail t ON t.id = (SELECT max(x.id) FROM alert_trail x
           WHERE x.org_id = a.org_id AND x.alert_id = a.id AND x.from_status != x.to_status)
       WHERE a.updated_at >= ? AND a.org_id = ? AND a.status != 'open' AND t.at >= ?
       ORDER BY t.at DESC, a.id DESC LIMIT ?`,
      since,
      orgId,
      since,
      limit,
    );
    return {
      alerts: rows.map((r) => ({ alert: rowToAlert(r), by: r.handled_by, at: r.handled_at })),
      total: rows[0]?.total ?? 0,
    };
  }

  /**
   * The "not me" alerts about some accounts whose period overlaps [since, until), said in the App
   * Home (a day) or the weekly check (a week), the newest first: whether each is still open, its
   * period and accounts. A range of the group index per account
   * (`mcp-not-me|<account>|…`): an alert is grouped under one account of those it covers.
   */
  notMeSaid(orgId: string, accounts: readonly string[], since: number, until: number): NotMeSaid[] {
    return accounts
      .flatMap((account) =>
        this.all<{
          id: number;
          status: string;
          counted_up_to: number | null;
          since: number;
          until: number;
          accounts: string | null;
          source: string | null;
        }>(
          `SELECT id, status, json_extract(detail, '$.since') AS since,
             CASE WHEN EXISTS (SELECT 1 FROM not_me_counted_by_person WHERE alert_id = alerts.id)
               THEN last_event_seq END AS counted_up_to,
             json_extract(detail, '$.until') AS until, json_extract(detail, '$.accounts') AS accounts,
             json_extract(detail, '$.source') AS source
           FROM alerts
           WHERE org_id = ? AND group_key >= ? AND group_key < ?
             AND json_extract(detail, '$.since') < ? AND json_extract(detail, '$.until') > ?`,
          orgId,
          // Every group key of the account: "|" is followed by "}" in code-point order.
          `${NOT_ME_RULE}|${account}|`,
          `${NOT_ME_RULE}|${account}}`,
          until,
          since,
        ).map((r) => ({
          id: r.id,
          open: r.status === "open",
          since: r.since,
          until: r.until,
          countedUpTo: r.counted_up_to,
          accounts: r.accounts
            ? (JSON.parse(r.accounts) as string[])
            : r.source === NOT_ME_HOME_SOURCE
              ? [...accounts]
              : [account],
        })),
      )
      .sort((a, b) => b.id - a.id);
  }
}

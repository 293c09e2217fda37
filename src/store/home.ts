import { type Alert, NOT_ME_HOME_SOURCE, NOT_ME_RULE } from "../domain/alert.js";
import type { CallFigures, HandledLately, Ranked, RankedAccount } from "../domain/home.js";
import type { Severity } from "../domain/severity.js";
import { type AlertRow, rowToAlert } from "./alerts.js";
import { CALLED_TOOL } from "./called-tool.js";
import type { Db } from "./db.js";
import { NEWEST_NAMED } from "./newest-name.js";
import { peopleCalls } from "./people-calls.js";
import { newestEmailSql } from "./people-match.js";
import { ACCOUNT, PERSON } from "./person-sql.js";

type Params = Array<string | number>;

/** A "not me" said before: its alert, whether still open, the last call it covered, its period. */
export interface NotMeSaid {
  readonly id: number;
  readonly open: boolean;
  readonly lastEventSeq: number;
  readonly since: number;
  readonly until: number;
  /**
   * The accounts whose calls it covered. One raised before they were recorded covered, when said
   * in the App Home, every account of the person (those looked for now); else its own.
   */
  readonly accounts: readonly string[];
}

const SEVERITY_ORDER =
  "CASE severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 2 ELSE 3 END";

/**
 * Deliveries `d` of alerts with no message of their own: counted in a roll-up or a summary, or
 * refused by Slack for good (never posted).
 */
const NO_MESSAGE = "(d.via_summary = 1 OR (d.ts IS NULL AND d.failure IS NOT NULL))";

/** The organization's MCP calls of a period, by named parameters. */
const PERIOD = "org_id = @orgId AND is_mcp = 1 AND time >= @since AND time < @until";

/** A Jira issue key gives its project; anything else, its product on its site. */
const PLACE = `CASE WHEN resource GLOB '[A-Z]*-[0-9]*' AND instr(resource, '-') > 1
    THEN substr(resource, 1, instr(resource, '-') - 1)
    ELSE coalesce(product, 'unknown product') || ' on ' || coalesce(site_host, 'unknown site') END`;

/**
 * What the App Home and the weekly check read: open alerts, a period's calls, the top people and
 * tools, one person's days. Every read is a seek or a range of an index (time, a person's events,
 * open alerts), never a scan of the whole store.
 */
export class HomeStore {
  constructor(private readonly db: Db) {}

  private all<T>(sql: string, ...params: Params): T[] {
    return this.db.prepare<Params, T>(sql).all(...params);
  }

  private named<T>(sql: string, params: Readonly<Record<string, string | number>>): T[] {
    return this.db.prepare<[Readonly<Record<string, string | number>>], T>(sql).all(params);
  }

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
   * The MCP calls of a period as a condition and its named parameters: the organization's, or
   * those of some accounts only (each as PERSON takes them: see peopleCalls); undefined when
   * those made none stored.
   */
  private calls(
    orgId: string,
    since: number,
    until: number,
    accounts?: readonly string[],
  ): { sql: string; params: Readonly<Record<string, string | number>> } | undefined {
    if (!accounts) return { sql: PERIOD, params: { orgId, since, until } };
    const calls = peopleCalls(this.db, orgId, accounts);
    return calls && { sql: calls.sql, params: calls.params(since, until) };
  }

  /** MCP calls of a period (of some accounts only, when given); admin calls count as deletes. */
  figures(orgId: string, since: number, until: number, accounts?: readonly string[]): CallFigures {
    const calls = this.calls(orgId, since, until, accounts);
    if (!calls) return { calls: 0, people: 0, writes: 0, deletes: 0 };
    const row = this.db
      .prepare<
        [Readonly<Record<string, string | number>>],
        { calls: number; people: number; w: number | null; d: number | null }
      >(
        `SELECT count(*) AS calls, count(DISTINCT ${PERSON}) AS people, sum(tool_class = 'write') AS w,
           sum(tool_class IN ('destructive', 'admin')) AS d
         FROM events WHERE ${calls.sql}`,
      )
      .get(calls.params);
    return {
      calls: row?.calls ?? 0,
      people: row?.people ?? 0,
      writes: row?.w ?? 0,
      deletes: row?.d ?? 0,
    };
  }

  /**
   * The people with the most MCP calls in a period, as detection keys them (PERSON), each by the
   * name of their newest call in it that names them (NEWEST_NAMED).
   */
  topPeople(orgId: string, since: number, until: number, limit: number): RankedAccount[] {
    return this.all(
      `SELECT key, count, email, id FROM (SELECT coalesce(user_name, user_email, user_id) AS key,
         count(*) AS count, user_email AS email, user_id AS id, ${NEWEST_NAMED} FROM events
         WHERE org_id = ? AND is_mcp = 1 AND time >= ? AND time < ? AND ${PERSON} IS NOT NULL
         GROUP BY ${PERSON}) ORDER BY count DESC, key LIMIT ?`,
      orgId,
      since,
      until,
      limit,
    );
  }

  /**
   * The tools most used in a period (of some accounts only, when given), named as alerts name
   * them: a wrapper's calls by the operation each ran (CALLED_TOOL).
   */
  topTools(
    orgId: string,
    since: number,
    until: number,
    limit: number,
    accounts?: readonly string[],
  ): Ranked[] {
    const calls = this.calls(orgId, since, until, accounts);
    if (!calls) return [];
    return this.named(
      `SELECT ${CALLED_TOOL} AS key, count(*) AS count FROM events
       WHERE ${calls.sql} AND tool IS NOT NULL
       GROUP BY tool, operation ORDER BY count DESC, key LIMIT @limit`,
      { ...calls.params, limit },
    );
  }

  /** Where some accounts' AI tools acted in a period: Jira projects, else products on sites. */
  places(
    orgId: string,
    since: number,
    until: number,
    accounts: readonly string[],
    limit: number,
  ): string[] {
    const calls = this.calls(orgId, since, until, accounts);
    if (!calls) return [];
    return this.named<{ place: string }>(
      `SELECT ${PLACE} AS place, count(*) AS n FROM events WHERE ${calls.sql}
       GROUP BY place ORDER BY n DESC, place LIMIT @limit`,
      { ...calls.params, limit },
    ).map((r) => r.place);
  }

  /**
   * The accounts with at least `minCalls` MCP calls in a period, each with the calls naming no
   * account id that PERSON takes as its (ACCOUNT), with what they did (admin calls count as
   * deletes), each by the name of their newest call in it (as `topPeople`) and the address it
   * has now.
   */
  activePeople(
    orgId: string,
    since: number,
    until: number,
    minCalls: number,
  ): Array<{
    accountId: string;
    name: string | null;
    email: string | null;
    calls: number;
    writes: number;
    deletes: number;
  }> {
    return this.named(
      `SELECT accountId, name, ${newestEmailSql("@orgId", "accountId", "@until")} AS email, calls,
         writes, deletes FROM (
         SELECT ${ACCOUNT} AS accountId, user_name AS name, ${NEWEST_NAMED},
           count(*) AS calls, coalesce(sum(tool_class = 'write'), 0) AS writes,
           coalesce(sum(tool_class IN ('destructive', 'admin')), 0) AS deletes
         FROM events WHERE ${PERIOD} AND accountId IS NOT NULL
         GROUP BY accountId HAVING count(*) >= @minCalls) ORDER BY accountId`,
      { orgId, since, until, minCalls },
    );
  }

  /** The first and last of some accounts' MCP calls in a period (what a "not me" is about). */
  span(
    orgId: string,
    since: number,
    until: number,
    accounts: readonly string[],
  ): { firstSeq: number; lastSeq: number; first: number; last: number; n: number } | undefined {
    const calls = this.calls(orgId, since, until, accounts);
    if (!calls) return undefined;
    const [row] = this.named<{
      firstSeq: number | null;
      lastSeq: number;
      first: number;
      last: number;
      n: number;
    }>(
      `SELECT min(seq) AS firstSeq, max(seq) AS lastSeq, min(time) AS first, max(time) AS last,
         count(*) AS n FROM events WHERE ${calls.sql}`,
      calls.params,
    );
    return row && row.firstSeq !== null ? { ...row, firstSeq: row.firstSeq } : undefined;
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
   * Home (a day) or the weekly check (a week), the newest first: whether each is still open, the
   * last call it covered, its period and accounts. A range of the group index per account
   * (`mcp-not-me|<account>|…`): an alert is grouped under one account of those it covers.
   */
  notMeSaid(orgId: string, accounts: readonly string[], since: number, until: number): NotMeSaid[] {
    return accounts
      .flatMap((account) =>
        this.all<{
          id: number;
          status: string;
          last_event_seq: number;
          since: number;
          until: number;
          accounts: string | null;
          source: string | null;
        }>(
          `SELECT id, status, last_event_seq, json_extract(detail, '$.since') AS since,
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
          lastEventSeq: r.last_event_seq,
          since: r.since,
          until: r.until,
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

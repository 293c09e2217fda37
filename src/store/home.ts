import { type Alert, NOT_ME_HOME_SOURCE, NOT_ME_RULE } from "../domain/alert.js";
import type { CallFigures, HandledLately, Ranked, RankedAccount } from "../domain/home.js";
import type { Severity } from "../domain/severity.js";
import { type AlertRow, rowToAlert } from "./alerts.js";
import { CALLED_TOOL } from "./called-tool.js";
import type { Db } from "./db.js";
import { NEWEST_NAMED } from "./newest-name.js";
import { newestEmailSql } from "./people-match.js";
import { PERSON } from "./person-sql.js";

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

  /** Open alerts shown in the channel, the most severe first, then the newest. */
  openAlerts(orgId: string, limit: number): Alert[] {
    return this.all<AlertRow>(
      `SELECT * FROM alerts WHERE org_id = ? AND status = 'open' AND notify = 1
       ORDER BY ${SEVERITY_ORDER}, id DESC LIMIT ?`,
      orgId,
      limit,
    ).map(rowToAlert);
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

  /** MCP calls of a period (of some people only, when given); admin calls count as deletes. */
  figures(orgId: string, since: number, until: number, people?: readonly string[]): CallFigures {
    const who = people ? `AND user_id IN (${people.map(() => "?").join(", ")})` : "";
    if (people?.length === 0) return { calls: 0, people: 0, writes: 0, deletes: 0 };
    const row = this.db
      .prepare<Params, { calls: number; people: number; w: number | null; d: number | null }>(
        `SELECT count(*) AS calls, count(DISTINCT ${PERSON}) AS people, sum(tool_class = 'write') AS w,
           sum(tool_class IN ('destructive', 'admin')) AS d
         FROM events WHERE org_id = ? AND is_mcp = 1 AND time >= ? AND time < ? ${who}`,
      )
      .get(orgId, since, until, ...(people ?? []));
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
   * The tools most used in a period (of some people only, when given), named as alerts name them:
   * a wrapper's calls by the operation each ran (CALLED_TOOL).
   */
  topTools(
    orgId: string,
    since: number,
    until: number,
    limit: number,
    people?: readonly string[],
  ): Ranked[] {
    if (people?.length === 0) return [];
    const who = people ? `AND user_id IN (${people.map(() => "?").join(", ")})` : "";
    return this.all(
      `SELECT ${CALLED_TOOL} AS key, count(*) AS count FROM events
       WHERE org_id = ? AND is_mcp = 1 AND time >= ? AND time < ? AND tool IS NOT NULL ${who}
       GROUP BY tool, operation ORDER BY count DESC, key LIMIT ?`,
      orgId,
      since,
      until,
      ...(people ?? []),
      limit,
    );
  }

  /** Where some people's AI tools acted in a period: Jira projects, else products on sites. */
  places(
    orgId: string,
    since: number,
    until: number,
    people: readonly string[],
    limit: number,
  ): string[] {
    if (people.length === 0) return [];
    return this.all<{ place: string }>(
      `SELECT ${PLACE} AS place, count(*) AS n FROM events
       WHERE org_id = ? AND is_mcp = 1 AND time >= ? AND time < ?
         AND user_id IN (${people.map(() => "?").join(", ")})
       GROUP BY place ORDER BY n DESC, place LIMIT ?`,
      orgId,
      since,
      until,
      ...people,
      limit,
    ).map((r) => r.place);
  }

  /**
   * The people with at least `minCalls` MCP calls in a period, with what they did (admin calls
   * count as deletes), each by the name of their newest call in it (as `topPeople`).
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
    return this.all(
      `SELECT accountId, name, email, calls, writes, deletes FROM (
         SELECT user_id AS accountId, user_name AS name, ${NEWEST_NAMED},
           ${newestEmailSql("events.org_id", "events.user_id", "?")} AS email,
           count(*) AS calls, coalesce(sum(tool_class = 'write'), 0) AS writes,
           coalesce(sum(tool_class IN ('destructive', 'admin')), 0) AS deletes
         FROM events WHERE org_id = ? AND is_mcp = 1 AND time >= ? AND time < ? AND user_id IS NOT NULL
         GROUP BY user_id HAVING count(*) >= ?) ORDER BY accountId`,
      until,
      orgId,
      since,
      until,
      minCalls,
    );
  }

  /** The first and last of some people's MCP events in a period (what a "not me" is about). */
  span(
    orgId: string,
    since: number,
    until: number,
    people: readonly string[],
  ): { firstSeq: number; lastSeq: number; first: number; last: number; n: number } | undefined {
    if (people.length === 0) return undefined;
    const row = this.db
      .prepare<
        Params,
        { firstSeq: number | null; lastSeq: number; first: number; last: number; n: number }
      >(
        `SELECT min(seq) AS firstSeq, max(seq) AS lastSeq, min(time) AS first, max(time) AS last,
           count(*) AS n FROM events WHERE org_id = ? AND is_mcp = 1 AND time >= ? AND time < ?
           AND user_id IN (${people.map(() => "?").join(", ")})`,
      )
      .get(orgId, since, until, ...people);
    return row && row.firstSeq !== null ? { ...row, firstSeq: row.firstSeq } : undefined;
  }

  /**
   * The alerts counted in a roll-up or summary (no message of their own) whose status a change
   * after `since` set to other than open, the latest change first, `limit` at most. A range of
   * alerts_updated (a change of status updates the alert), each alert's last change a seek.
   */
  handledUnposted(orgId: string, since: number, limit: number): HandledLately {
    const rows = this.all<AlertRow & { handled_by: string; handled_at: number; total: number }>(
      `SELECT a.*, t.actor AS handled_by, t.at AS handled_at, count(*) OVER () AS total
       FROM alerts a INDEXED BY alerts_updated
         JOIN deliveries d ON d.org_id = a.org_id AND d.alert_id = a.id AND d.via_summary = 1
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

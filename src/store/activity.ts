import type { ActivityFilter, ActivityRow, CsvEvent, PageCursor } from "../domain/activity.js";
import type { StoredEvent } from "../domain/event.js";
import type { Db } from "./db.js";
import { type EventRow, eventsFrom } from "./event-rows.js";
import { anyOfFolded, fold, isAscii } from "./fold.js";
import { holdersOf, lookalikes, nearestPerson, personIds } from "./people-match.js";
import { type SeenColumn, valuesSeen } from "./values-seen.js";

/** Rows read at a time for a CSV export. */
const CSV_CHUNK = 2_000;

interface ScanRow {
  time: number;
  user_id: string | null;
  tool: string | null;
  operation: string | null;
  tool_class: string | null;
  site_host: string | null;
  auth_kind: string;
  resource: string | null;
}

type Params = Array<string | number>;

interface CsvRow {
  seq: number;
  time: number;
  user_name: string | null;
  user_email: string | null;
  tool: string | null;
  operation: string | null;
  tool_class: string | null;
  tool_guessed: number | null;
  product: string | null;
  resource: string | null;
  site_host: string | null;
  ip: string | null;
  country: string | null;
  auth_kind: string;
  client_app: string | null;
  action: string;
  id: string;
}

/** The columns a free word is looked for in. */
const WORD_COLUMNS = [
  "user_name",
  "user_email",
  "tool",
  "operation",
  "resource",
  "client_app",
  "site_host",
];

/**
 * The calls of the filter's tools: the tool called or the operation a wrapper ran (what an alert
 * names), each read from its own index (an OR of the two would read every call of the period).
 */
function toolCalls(f: ActivityFilter): { sql: string; params: Params } {
  const refs = `(SELECT ref FROM strings WHERE value IN (${f.tools.map(() => "?").join(", ")}))`;
  const of = (column: string) =>
    `SELECT seq FROM event_rows WHERE org = (SELECT ref FROM strings WHERE value = ?)
       AND is_mcp = 1 AND ${column} IN ${refs} AND time >= ? AND time < ?`;
  const params = [f.orgId, ...f.tools, f.since, f.until];
  return {
    sql: `seq IN (${of("tool")} UNION ALL ${of("operation")})`,
    params: [...params, ...params],
  };
}

/** The SQL condition and parameters of a filter, over MCP events. */
function where(f: ActivityFilter): { sql: string; params: Params } {
  // Asked about alerts (status:, rule:), the events are found from the alerts of the period (an
  // alert's events lie between its first and last seen), not by reading every event of the period
  // and keeping those an alert is about: `+` keeps SQLite off the events' indexes.
  const byAlerts = f.rules.length > 0 || f.statuses.length > 0;
  // So are a tool's calls, from its index and its operation's (toolCalls).
  const plus = byAlerts || f.tools.length > 0 ? "+" : "";
  const parts = [`${plus}org_id = ?`, `${plus}is_mcp = 1`, `${plus}time >= ?`, `${plus}time < ?`];
  const params: Params = [f.orgId, f.since, f.until];
  const anyOf = (column: string, values: readonly string[], nocase = false) => {
    if (values.length === 0) return;
    if (nocase) {
      const folded = anyOfFolded(column, values);
      parts.push(folded.sql);
      params.push(...folded.params);
      return;
    }
    parts.push(`${column} IN (${values.map(() => "?").join(", ")})`);
    params.push(...values);
  };
  anyOf("user_id", f.people);
  if (f.tools.length > 0) {
    const calls = toolCalls(f);
    parts.push(calls.sql);
    params.push(...calls.params);
  }
  anyOf("tool_class", f.classes);
  anyOf("product", f.products, true);
  anyOf("site_host", f.sites, true);
  anyOf("action", f.actions);
  anyOf("ip", f.ips);
  anyOf("country", f.countries, true);
  anyOf("auth_kind", f.auth);
  if (byAlerts) {
    const alertParts = ["a.org_id = ?", "a.last_seen >= ?", "a.first_seen < ?"];
    const alertParams: Params = [f.orgId, f.since, f.until];
    if (f.rules.length > 0) {
      alertParts.push(`a.rule_id IN (${f.rules.map(() => "?").join(", ")})`);
      alertParams.push(...f.rules);
    }
    if (f.statuses.length > 0) {
      alertParts.push(`a.status IN (${f.statuses.map(() => "?").join(", ")})`);
      alertParams.push(...f.statuses);
    }
    parts.push(
      `seq IN (SELECT ae.event_seq FROM alert_events ae JOIN alerts a ON a.id = ae.alert_id WHERE ${alertParts.join(" AND ")})`,
    );
    params.push(...alertParams);
  }
  for (const word of f.words) {
    if (isAscii(word)) {
      const like = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      parts.push(`(${WORD_COLUMNS.map((c) => `${c} LIKE ? ESCAPE '\\'`).join(" OR ")})`);
      params.push(...WORD_COLUMNS.map(() => like));
    } else {
      // LIKE folds A–Z only: a word with other letters is looked for in the folded text.
      parts.push(`(${WORD_COLUMNS.map((c) => `instr(fold(${c}), ?) > 0`).join(" OR ")})`);
      params.push(...WORD_COLUMNS.map(() => fold(word)));
    }
  }
  return { sql: parts.join(" AND "), params };
}

/** Answers activity questions over stored MCP events. SQL lives here and only here. */
export class ActivityStore {
  constructor(private readonly db: Db) {}

  /**
   * The columns aggregates need, of the filter's events with a time in [since, until): a wide
   * question is read one window of its time at a time, every window on one prepared statement.
   */
  scanner(f: ActivityFilter): (since: number, until: number) => Generator<ActivityRow> {
    const statement = this.db.prepare<Params, ScanRow>(
      `SELECT time, user_id, tool, operation, tool_class, site_host, auth_kind, resource FROM events WHERE ${where(f).sql}`,
    );
    return function* window(since, until) {
      for (const row of statement.iterate(...where({ ...f, since, until }).params)) {
        yield {
          time: row.time,
          userId: row.user_id,
          tool: row.tool,
          innerTool: row.operation,
          toolClass: row.tool_class,
          siteHost: row.site_host,
          authKind: row.auth_kind,
          resource: row.resource,
        };
      }
    };
  }

  /** See `personIds` in people-match.ts. */
  personIds(orgId: string, names: readonly string[], by: "any" | "email" = "any"): string[] {
    return personIds(this.db, orgId, names, by);
  }

  /** See `lookalikes` in people-match.ts. */
  lookalikes(
    orgId: string,
    name: string,
  ): Array<{ id: string; name: string | null; email: string | null }> {
    return lookalikes(this.db, orgId, name);
  }

  /**
   * Where a replay of the events made since `time` starts (`EventStore.iterate`'s `from`): the
   * seq before the first of them, found through the time index; null when none was made since.
   */
  replayFrom(orgId: string, time: number): number | null {
    return (
      this.db
        .prepare<[string, number], { seq: number | null }>(
          "SELECT min(seq) - 1 AS seq FROM events WHERE org_id = ? AND time >= ?",
        )
        .get(orgId, time)?.seq ?? null
    );
  }

  /** See `holdersOf` in people-match.ts. */
  holdersOf(orgId: string, email: string, now: number): string[] {
    return holdersOf(this.db, orgId, email, now);
  }

  /** See values-seen.ts. */
  valuesSeen(orgId: string, column: SeenColumn): string[] {
    return valuesSeen(this.db, column, orgId);
  }

  /** See `nearestPerson` in people-match.ts. */
  nearestPerson(orgId: string, name: string): string | undefined {
    return nearestPerson(this.db, orgId, name);
  }

  /**
   * The newest matching events with a time in [since, until), newest first, at most `limit`, of
   * whatever window of the filter's time; `before` (an event's time and seq) pages on.
   */
  pager(
    f: ActivityFilter,
    before?: PageCursor,
  ): (since: number, until: number, limit: number) => StoredEvent[] {
    const page = before === undefined ? "" : " AND (time < ? OR (time = ? AND seq < ?))";
    const cursor = before === undefined ? [] : [before.time, before.time, before.seq];
    const statement = this.db.prepare<Params, EventRow>(
      `SELECT * FROM events WHERE ${where(f).sql}${page} ORDER BY time DESC, seq DESC LIMIT ?`,
    );
    return (since, until, limit) =>
      eventsFrom(this.db, statement.all(...where({ ...f, since, until }).params, ...cursor, limit));
  }

  /**
   * Every matching event's CSV columns (no raw JSON), oldest first by the time of the call (an
   * event that arrived late among its neighbours), CSV_CHUNK at a time.
   */
  *csvRows(f: ActivityFilter): Generator<CsvEvent[]> {
    const { sql, params } = where(f);
    const statement = this.db.prepare<Params, CsvRow>(
      `SELECT seq, time, user_name, user_email, tool, operation, tool_class, tool_guessed, product,
         resource, site_host, ip, country, auth_kind, client_app, action, id
       FROM events WHERE ${sql} AND (time > ? OR (time = ? AND seq > ?))
       ORDER BY time, seq LIMIT ?`,
    );
    let after = { time: f.since, seq: 0 };
    for (;;) {
      const rows = statement.all(...params, after.time, after.time, after.seq, CSV_CHUNK);
      const last = rows.at(-1);
      if (!last) return;
      after = { time: last.time, seq: last.seq };
      yield rows.map((r) => ({
        time: r.time,
        userName: r.user_name,
        userEmail: r.user_email,
        tool: r.tool,
        innerTool: r.operation,
        toolClass: r.tool_class as CsvEvent["toolClass"],
        toolGuessed: r.tool_guessed === 1,
        product: r.product,
        resource: r.resource,
        siteHost: r.site_host,
        ip: r.ip,
        country: r.country,
        authKind: r.auth_kind as CsvEvent["authKind"],
        clientApp: r.client_app,
        action: r.action,
        id: r.id,
      }));
    }
  }

  /** Open alerts about any of these people (by account id): the newest `limit`, and how many. */
  openAlerts(
    orgId: string,
    userIds: readonly string[],
    limit: number,
  ): {
    alerts: Array<{ id: number; ruleId: string; title: string; severity: string }>;
    total: number;
  } {
    if (userIds.length === 0) return { alerts: [], total: 0 };
    const rows = this.db
      .prepare<
        Params,
        { id: number; rule_id: string; title: string; severity: string; total: number }
      >(
        `SELECT id, rule_id, title, severity, count(*) OVER () AS total FROM alerts
         WHERE org_id = ? AND status = 'open' AND notify = 1
         AND user_id IN (${userIds.map(() => "?").join(", ")}) ORDER BY id DESC LIMIT ?`,
      )
      .all(orgId, ...userIds, limit);
    return {
      alerts: rows.map((row) => ({
        id: row.id,
        ruleId: row.rule_id,
        title: row.title,
        severity: row.severity,
      })),
      total: rows[0]?.total ?? 0,
    };
  }
}

import type { ActivityFilter } from "../domain/activity.js";
import type { AlertedEvents } from "./alerted-events.js";
import { anyOfFolded, fold, isAscii } from "./fold.js";
import type { PeopleCalls } from "./people-calls.js";

/** Positional parameters, and (the people's calls) one object of named ones. */
export type Params = Array<string | number | Readonly<Record<string, number>>>;

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

/**
 * The SQL condition and parameters of a filter, over MCP events; `people`: the calls of the
 * filter's people (see peopleCalls), undefined when none of them made a call stored.
 */
export function where(
  f: ActivityFilter,
  alerted?: AlertedEvents,
  people?: PeopleCalls,
): { sql: string; params: Params } {
  // Asked about alerts (status:, rule:), the events are those of the question's alerts, read once
  // (alerted-events.ts) and looked up by seq, not by reading every event of the period and
  // keeping those an alert is about: `+` keeps SQLite off the events' indexes.
  const byAlerts = f.rules.length > 0 || f.statuses.length > 0;
  // So are a tool's calls, from its index and its operation's (toolCalls), and a person's, from
  // theirs (peopleCalls).
  const plus = byAlerts || f.tools.length > 0 || f.people.length > 0 ? "+" : "";
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
  if (f.people.length > 0) {
    parts.push(people?.sql ?? "0");
    if (people) params.push(people.params(f.since, f.until));
  }
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
    parts.push("seq IN (SELECT value FROM json_each(?))");
    params.push(alerted?.within(f.since, f.until) ?? "[]");
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

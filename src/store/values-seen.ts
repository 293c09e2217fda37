/**
 * The tools, operations of wrappers and sites an organization's MCP calls used, each read by seeks
 * on its (org, column, time) index: one seek per distinct value, never a scan of the calls.
 */
import type { Db } from "./db.js";

/** The stored columns whose distinct values are read; each has an index led by (org, column). */
export type SeenColumn = "tool" | "operation" | "site_host";

/** The SQL of one column's distinct values: the next value after the last, until there is none. */
function distinctSql(column: SeenColumn): string {
  const next = `SELECT min(e.${column}) FROM event_rows e
    WHERE e.org = (SELECT ref FROM strings WHERE value = @org) AND e.is_mcp = 1
      AND e.${column} IS NOT NULL`;
  return `WITH RECURSIVE seen(ref) AS (
      SELECT (${next})
      UNION ALL
      SELECT (${next} AND e.${column} > seen.ref) FROM seen WHERE seen.ref IS NOT NULL
    )
    SELECT s.value FROM seen JOIN strings s ON s.ref = seen.ref`;
}

export function valuesSeen(db: Db, column: SeenColumn, orgId: string): string[] {
  return db
    .prepare<{ org: string }, { value: string }>(distinctSql(column))
    .all({ org: orgId })
    .map((r) => r.value);
}

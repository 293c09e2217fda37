import type { LateArrivals } from "../domain/digest.js";
import type { Db } from "./db.js";
import { personRef } from "./person-sql.js";

/**
 * The organization's ref in `strings`, which `event_rows` holds: undefined while none of its
 * events is stored.
 */
export function orgRef(db: Db, orgId: string): number | undefined {
  return db.prepare<[string], number>("SELECT ref FROM strings WHERE value = ?").pluck().get(orgId);
}

/** The organization's MCP calls stored after a seq and dated before a time: (org, seq, time). */
const lateCalls = (columns: string) =>
  `SELECT ${columns} FROM event_rows INDEXED BY event_rows_mcp_seq
   WHERE org = ? AND is_mcp = 1 AND seq > ? AND time < ?`;

/**
 * The MCP calls a digest of [since, until) reports as new, as SQL over `event_rows` selecting
 * `columns`: those of its period, and, when the digest before it is known (`seenThrough`: the
 * newest seq stored when it was made), those dated before the period but stored after that
 * digest — Atlassian processed them later, and no digest counted them. Each part is read through
 * its own index: the period by time, the late ones by seq from where that digest stood, through
 * the index of the organization's MCP calls in seq order (not the rowid, which would walk every
 * event of every organization stored since, nor the organization's time index, which would walk
 * its whole history). `history`: the first start's summary, of the rows the backfill stored only.
 */
export function newCalls(
  columns: string,
  org: number,
  since: number,
  until: number,
  seenThrough: number | undefined,
  history = false,
): { sql: string; params: number[] } {
  const period = `SELECT ${columns} FROM event_rows WHERE org = ? AND time >= ? AND time < ? AND is_mcp = 1${history ? " AND backfilled = 1" : ""}`;
  if (seenThrough === undefined) return { sql: period, params: [org, since, until] };
  return {
    sql: `${period} UNION ALL ${lateCalls(columns)}`,
    params: [org, since, until, org, seenThrough, since],
  };
}

/**
 * The newest seq of a call dated before the period that counts as seen before: stored by the time
 * the digest before was made; any, without one.
 */
export const seenBefore = (seenThrough: number | undefined) =>
  seenThrough ?? Number.MAX_SAFE_INTEGER;

/**
 * MCP calls dated before `since` and stored after the digest before was made (its newest seq
 * `seenThrough`): in no digest. Undefined when none, or that digest is not known.
 */
export function lateArrivals(
  db: Db,
  orgId: string,
  since: number,
  seenThrough: number | undefined,
): LateArrivals | undefined {
  const org = orgRef(db, orgId);
  if (org === undefined || seenThrough === undefined) return undefined;
  const row = db
    .prepare<number[], { calls: number; people: number; earliest: number | null }>(
      `SELECT count(*) AS calls, count(DISTINCT ${personRef("c")}) AS people, min(time) AS earliest
       FROM (${lateCalls("org, time, user_id, user_email, user_name")}) c`,
    )
    .get(org, seenThrough, since);
  return row && row.calls > 0 && row.earliest !== null
    ? { calls: row.calls, people: row.people, earliest: row.earliest }
    : undefined;
}

/**
 * The MCP calls the first start's backfill stored (dated before `until`, the first start): the
 * oldest one's time (Atlassian records some late, dated before the history's start) and the
 * newest one's seq (what the summary reports: live calls stored after it, also those dated before
 * the first start, are new to the first daily digest). Undefined while none is stored. The time by
 * the organization's time index up to the first; the seq by its MCP calls in seq order, back over
 * the live ones stored since.
 */
export function historySpan(
  db: Db,
  orgId: string,
  until: number,
): { since: number; through: number } | undefined {
  const org = orgRef(db, orgId);
  if (org === undefined) return undefined;
  const since = db
    .prepare<number[], number>(
      `SELECT time FROM event_rows INDEXED BY event_rows_time
       WHERE org = ? AND time < ? AND is_mcp = 1 AND backfilled = 1 ORDER BY time LIMIT 1`,
    )
    .pluck()
    .get(org, until);
  const through = db
    .prepare<number[], number>(
      `SELECT seq FROM event_rows INDEXED BY event_rows_mcp_seq
       WHERE org = ? AND is_mcp = 1 AND backfilled = 1 ORDER BY seq DESC LIMIT 1`,
    )
    .pluck()
    .get(org);
  return since === undefined || through === undefined ? undefined : { since, through };
}

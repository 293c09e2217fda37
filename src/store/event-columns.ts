import type { NormalizedEvent } from "../domain/event.js";
import type { Db } from "./db.js";
import type { StringTable } from "./strings.js";

/**
 * The columns an event's classification is stored in (`event_rows`), beside its seq, ids, time,
 * raw block and ingestion: what ingest writes and reclassify rewrites. Repeated text is a
 * reference into `strings`.
 */
export const CLASSIFIED = [
  "processed_delta",
  "action",
  "is_mcp",
  "mcp_basis",
  "auth_kind",
  "user_id",
  "user_name",
  "user_email",
  "country",
  "site_host",
  "product",
  "client_app",
  "tool",
  "tool_class",
  "operation",
  "tool_guessed",
  "ip",
  "resource",
] as const;

/** The values of an event's CLASSIFIED columns, in that order. */
export function classifiedValues(
  event: NormalizedEvent,
  s: StringTable,
): Array<number | string | null> {
  // ip and resource are kept for MCP events (queries and rules read them); others read raw.
  return [
    event.processedAt === null ? null : event.processedAt - event.time,
    s.ref(event.action),
    event.isMcp ? 1 : 0,
    s.refOrNull(event.mcpBasis),
    s.ref(event.authKind),
    s.refOrNull(event.userId),
    s.refOrNull(event.userName),
    s.refOrNull(event.userEmail),
    s.refOrNull(event.country),
    s.refOrNull(event.siteHost),
    s.refOrNull(event.product),
    s.refOrNull(event.clientApp),
    s.refOrNull(event.tool),
    s.refOrNull(event.toolClass),
    s.refOrNull(event.innerTool),
    event.toolGuessed ? 1 : 0,
    event.isMcp ? event.ip : null,
    event.isMcp ? event.resource : null,
  ];
}

export type ClassifiedColumn = (typeof CLASSIFIED)[number];

/** The CLASSIFIED columns the table has: 0010's move runs before later migrations add theirs. */
export function classifiedColumns(db: Db): ClassifiedColumn[] {
  const has = new Set(
    db.prepare<[], string>("SELECT name FROM pragma_table_info('event_rows')").pluck().all(),
  );
  return CLASSIFIED.filter((column) => has.has(column));
}

/** Stored before migration 0045: read from the raw JSON until filled (UnfilledCallsStore). */
const LATER: ReadonlySet<ClassifiedColumn> = new Set(["operation", "tool_guessed"]);

/**
 * The values of `columns`, in that order. Events moved by migration 0010 (`moved`) leave the
 * operation and whether the tool was guessed unstored, as every event stored before 0045 does.
 */
export function valuesOf(
  columns: readonly ClassifiedColumn[],
  event: NormalizedEvent,
  s: StringTable,
  moved: boolean,
): Array<number | string | null> {
  const all = classifiedValues(event, s);
  return columns.map((column) =>
    moved && LATER.has(column) ? null : (all[CLASSIFIED.indexOf(column)] ?? null),
  );
}

/**
 * The seqs in [from, to] of calls stored before migration 0045 whose operation and guessed flag
 * are not stored yet (read from the raw JSON meanwhile): `reclassify` writes them.
 */
export function unfilledSeqs(db: Db, from: number, to: number): Set<number> {
  const rows = db
    .prepare<[number, number], number>(
      "SELECT seq FROM event_rows WHERE seq BETWEEN ? AND ? AND tool_guessed IS NULL AND tool IS NOT NULL",
    )
    .pluck()
    .all(from, to);
  return new Set(rows);
}

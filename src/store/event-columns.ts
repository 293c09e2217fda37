import type { NormalizedEvent } from "../domain/event.js";
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
    event.isMcp ? event.ip : null,
    event.isMcp ? event.resource : null,
  ];
}

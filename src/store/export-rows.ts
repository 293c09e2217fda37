import type { AuthKind, ToolClass } from "../domain/event.js";
import type { ExportedEvent } from "../domain/export.js";
import type { ToolCatalogue } from "../ingest/tools.js";
import type { Db } from "./db.js";
import {
  type CallDetail,
  type CallReading,
  callGuessed,
  callOperation,
  NO_CALL_DETAIL,
  RawBlockReader,
  type RereadRow,
  rereadRow,
  storedCallDetail,
} from "./event-rows.js";

/** An MCP event as the SIEM export reads it from the `events` view (`v`). */
export interface EventRow extends RereadRow {
  seq: number;
  auth_kind: string;
  user_id: string | null;
  user_name: string | null;
  user_email: string | null;
  ip: string | null;
  site_host: string | null;
  product: string | null;
  tool: string | null;
  operation: string | null;
  tool_class: string | null;
  tool_guessed: number | null;
  raw_block: number;
  raw_index: number;
}

export const EVENT_COLUMNS =
  "v.seq, v.org_id, v.id, v.time, v.processed_at, v.action, v.is_mcp, v.auth_kind, v.user_id, v.user_name, v.user_email, v.ip, v.site_host, v.product, v.tool, v.operation, v.tool_class, v.tool_guessed, v.raw_block, v.raw_index";

/**
 * The export's events from their rows. A call stored before migration 0045 reads its operation
 * and guessed flag from its raw JSON, read again with `tools` (the catalogue the bot classifies
 * with), as the bot then stores them (storedCallDetail): nothing for one read as another tool than
 * stored, or whose raw JSON cannot be read.
 */
export function toEvents(
  db: Db,
  rows: readonly EventRow[],
  tools?: ToolCatalogue,
): ExportedEvent[] {
  const blocks = RawBlockReader.of(db);
  return rows.map((row) => {
    let read: CallDetail | undefined;
    const reading: CallReading = () => {
      try {
        read ??= storedCallDetail(
          row,
          rereadRow(row, blocks.raw(row.raw_block, row.raw_index), tools),
        );
      } catch {
        read = NO_CALL_DETAIL;
      }
      return read;
    };
    return {
      seq: row.seq,
      orgId: row.org_id,
      id: row.id,
      time: row.time,
      action: row.action,
      user: { id: row.user_id, name: row.user_name, email: row.user_email },
      tool: row.tool,
      innerTool: callOperation(row, reading),
      toolClass: row.tool_class as ToolClass | null,
      toolGuessed: callGuessed(row, reading),
      authKind: row.auth_kind as AuthKind,
      product: row.product,
      site: row.site_host,
      ip: row.ip,
    };
  });
}

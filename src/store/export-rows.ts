import type { AuthKind, ToolClass } from "../domain/event.js";
import type { ExportedEvent } from "../domain/export.js";

/** An MCP event as the SIEM export reads it from the `events` view (`v`). */
export interface EventRow {
  seq: number;
  org_id: string;
  id: string;
  time: number;
  action: string;
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
}

export const EVENT_COLUMNS =
  "v.seq, v.org_id, v.id, v.time, v.action, v.auth_kind, v.user_id, v.user_name, v.user_email, v.ip, v.site_host, v.product, v.tool, v.operation, v.tool_class, v.tool_guessed";

export const toEvent = (row: EventRow): ExportedEvent => ({
  seq: row.seq,
  orgId: row.org_id,
  id: row.id,
  time: row.time,
  action: row.action,
  user: { id: row.user_id, name: row.user_name, email: row.user_email },
  tool: row.tool,
  innerTool: row.operation,
  toolClass: row.tool_class as ToolClass | null,
  toolGuessed: row.tool_guessed === 1,
  authKind: row.auth_kind as AuthKind,
  product: row.product,
  site: row.site_host,
  ip: row.ip,
});

import type { Alert, AlertStatus } from "../domain/alert.js";
import type { AuthKind } from "../domain/event.js";
import type { Severity } from "../domain/severity.js";

/** A row of `alerts`, as stored. */
export interface AlertRow {
  id: number;
  org_id: string;
  rule_id: string;
  severity: string;
  status: string;
  group_key: string;
  title: string;
  detail: string;
  user_id: string | null;
  user_name: string | null;
  user_email: string | null;
  auth_kind: string;
  first_event_seq: number;
  last_event_seq: number;
  first_seen: number;
  last_seen: number;
  event_count: number;
  tools: string;
  late: number;
  suppressed_by: string | null;
  notify: number;
  subject?: string | null;
  about_organization?: number;
  revision: number;
  created_at: number;
  updated_at: number;
}

export function rowToAlert(row: AlertRow): Alert {
  return {
    id: row.id,
    orgId: row.org_id,
    ruleId: row.rule_id,
    severity: row.severity as Severity,
    status: row.status as AlertStatus,
    groupKey: row.group_key,
    title: row.title,
    detail: JSON.parse(row.detail) as Record<string, unknown>,
    userId: row.user_id,
    userName: row.user_name,
    userEmail: row.user_email,
    authKind: row.auth_kind as AuthKind,
    firstEventSeq: row.first_event_seq,
    lastEventSeq: row.last_event_seq,
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    eventCount: row.event_count,
    tools: JSON.parse(row.tools) as string[],
    late: row.late === 1,
    suppressedBy: row.suppressed_by,
    notify: row.notify === 1,
    ...(row.subject == null ? {} : { subject: row.subject }),
    ...(row.about_organization === 1 ? { aboutOrganization: true } : {}),
    revision: row.revision,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

import type { ToolClass } from "../domain/event.js";
import type {
  AlertChange,
  AlertChangeKind,
  ExportedEvent,
  ExportPerson,
} from "../domain/export.js";

/**
 * The records the export sends, one JSON line each: pure mapping from what the store holds.
 * Names follow OCSF API Activity (class 6003) where they fit (docs/export.md lists which).
 */

/** OCSF's User object: the attributes it names uid, name and email_addr. */
export interface OcsfUser {
  readonly uid: string | null;
  readonly name: string | null;
  readonly email_addr: string | null;
}

export interface EventRecord {
  readonly record_id: string;
  readonly kind: "mcp_event";
  readonly org_id: string;
  readonly time: string;
  readonly class_uid: 6003;
  readonly category_uid: 6;
  readonly activity_id: number;
  readonly type_uid: number;
  readonly id: string;
  readonly action: string;
  readonly user: OcsfUser;
  readonly tool: string | null;
  readonly operation: string | null;
  readonly tool_class: ToolClass | null;
  readonly tool_guessed: boolean;
  readonly auth_kind: string;
  readonly product: string | null;
  readonly site: string | null;
  readonly ip: string | null;
}

export interface AlertRecord {
  readonly record_id: string;
  readonly kind: "alert";
  readonly org_id: string;
  readonly time: string;
  /** A string, as an event's `id` is: one field name, one JSON type, for a collector's mapping. */
  readonly id: string;
  readonly change: string;
  readonly rule: string;
  readonly title: string | null;
  readonly severity: string;
  readonly severity_id: number;
  readonly status: string;
  readonly person: OcsfUser;
  readonly changed_by?: string;
  /**
   * On `raised`: whether it was raised for the channel, and what kept it out when something did;
   * on `channel`: for_channel true.
   */
  readonly for_channel?: boolean;
  readonly quieted_by?: string;
}

export type ExportRecord = EventRecord | AlertRecord;

/** OCSF API Activity's activity_id: 1 Create, 2 Read, 3 Update, 4 Delete, 0 Unknown (admin tools change settings: Update). */
const ACTIVITY: Record<ToolClass, number> = {
  read: 2,
  search: 2,
  write: 3,
  destructive: 4,
  admin: 3,
};

/** OCSF severity_id: 1 Informational, 2 Low, 3 Medium, 4 High, 0 Unknown. */
const SEVERITY_ID: Record<string, number> = { info: 1, low: 2, medium: 3, high: 4 };

/** The changes that say whether the alert is for the channel: the others leave it as it was. */
const SAYS_CHANNEL: ReadonlySet<AlertChangeKind> = new Set(["raised", "channel"]);

const user = (p: ExportPerson): OcsfUser => ({ uid: p.id, name: p.name, email_addr: p.email });

const iso = (ms: number) => new Date(ms).toISOString();

/*
 * A record_id names the record by what stays the same when a backup is restored, never by a
 * position (an event's seq, a change's journal id), which goes back with the restore and would be
 * given to a different record the SIEM already has. An event: its Atlassian id, which the store
 * dedupes on per organization, so an event fetched again is the same record. An alert change: the
 * alert's id and the millisecond it was raised (an id reused after a restore comes with a later
 * one), the kind and millisecond of the change (one lost with the disk happened before the
 * restore, one made after it happens after, on a clock that does not go back), and the changes of that kind the alert had before in
 * that millisecond (one database's changes apart). Changes kept in the backup are read from the
 * same rows: the same record_ids.
 */
const alertRecordId = (c: AlertChange): string =>
  `${c.orgId}:alert:${c.alertId}.${c.alertRaisedAt}:${c.change}:${c.at}:${c.alikeBefore}`;

export function eventRecord(e: ExportedEvent): EventRecord {
  const activity = e.toolClass === null ? 0 : ACTIVITY[e.toolClass];
  return {
    record_id: `${e.orgId}:mcp_event:${e.id}`,
    kind: "mcp_event",
    org_id: e.orgId,
    time: iso(e.time),
    class_uid: 6003,
    category_uid: 6,
    activity_id: activity,
    type_uid: 600300 + activity,
    id: e.id,
    action: e.action,
    user: user(e.user),
    tool: e.tool,
    operation: e.innerTool,
    tool_class: e.toolClass,
    tool_guessed: e.toolGuessed,
    auth_kind: e.authKind,
    product: e.product,
    site: e.site,
    ip: e.ip,
  };
}

export function alertRecord(c: AlertChange): AlertRecord {
  return {
    record_id: alertRecordId(c),
    kind: "alert",
    org_id: c.orgId,
    time: iso(c.at),
    id: String(c.alertId),
    change: c.change,
    rule: c.rule,
    title: c.title,
    severity: c.severity,
    severity_id: SEVERITY_ID[c.severity] ?? 0,
    status: c.status,
    person: user(c.person),
    ...(c.changedBy !== null ? { changed_by: c.changedBy } : {}),
    ...(SAYS_CHANNEL.has(c.change) && c.forChannel !== null ? { for_channel: c.forChannel } : {}),
    ...(SAYS_CHANNEL.has(c.change) && c.quietedBy !== null ? { quieted_by: c.quietedBy } : {}),
  };
}

/** One NDJSON line (with its newline). */
export const line = (record: ExportRecord): string =>
  `${JSON.stringify(record).replace(C1, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)}\n`;

/**
 * C1 controls, which JSON.stringify leaves as they are: escaped, a line printed on a terminal
 * (`mcp-activity export`) cannot start an escape sequence (U+009B is CSI), and reads the same.
 */
const C1 = /[\u0080-\u009f]/g;

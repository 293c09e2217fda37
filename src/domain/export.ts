import type { AuthKind, ToolClass } from "./event.js";

/** What the export sends, read from the store: MCP events and alert changes, with their position. */

/** The two streams of each organization, each delivered in its own order. */
export type ExportStream = "mcp_event" | "alert";

/** A person as the store knows them: an Atlassian account id, a name, an e-mail. */
export interface ExportPerson {
  readonly id: string | null;
  readonly name: string | null;
  readonly email: string | null;
}

/** A stored MCP event; `seq` is its place in the store (the stream's position). */
export interface ExportedEvent {
  readonly seq: number;
  readonly orgId: string;
  readonly id: string;
  readonly time: number;
  readonly action: string;
  readonly user: ExportPerson;
  readonly tool: string | null;
  readonly toolClass: ToolClass | null;
  readonly authKind: AuthKind;
  readonly product: string | null;
  readonly site: string | null;
  readonly ip: string | null;
}

/** What happened to an alert: raised by a rule, its status changed, its severity raised. */
export type AlertChangeKind = "raised" | "status" | "severity";

/** One change of an alert, as it was when it happened; `changeId` is the stream's position. */
export interface AlertChange {
  readonly changeId: number;
  readonly orgId: string;
  readonly alertId: number;
  readonly at: number;
  readonly change: AlertChangeKind;
  readonly rule: string;
  readonly title: string | null;
  readonly severity: string;
  readonly status: string;
  readonly person: ExportPerson;
  /** The Slack user id of who changed it; null when the bot did. */
  readonly changedBy: string | null;
  /** Whether the alert was for the channel (alone or in a roll-up), as raised; null when not known. */
  readonly forChannel: boolean | null;
  /** What kept it out of Slack: a mute, a suppression, a `once` rule; null when nothing did. */
  readonly quietedBy: string | null;
}

/** Where each stream of an organization was delivered up to (0: nothing yet). */
export interface ExportPositions {
  readonly mcp_event: number;
  readonly alert: number;
}

/** The export stopped by a refusal of the receiver, kept until resumed. */
export interface ExportStop {
  /** A fingerprint of the receiver and secret it was refused with. */
  readonly target: string;
  readonly at: number;
  readonly reason: string;
}

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
  /** The operation a wrapper ran (`createJiraIssueLink` under `executeWrite`), when the call names one. */
  readonly innerTool: string | null;
  readonly toolClass: ToolClass | null;
  /** Whether the tool, and so its class, was guessed from the message. */
  readonly toolGuessed: boolean;
  readonly authKind: AuthKind;
  readonly product: string | null;
  readonly site: string | null;
  readonly ip: string | null;
}

/**
 * What happened to an alert: raised by a rule, its status changed, its severity raised, or it
 * went to the channel (raised for the digest, a later call grew it into the channel).
 */
export type AlertChangeKind = "raised" | "status" | "severity" | "channel";

/** One change of an alert, as it was when it happened; `changeId` is the stream's position. */
export interface AlertChange {
  readonly changeId: number;
  readonly orgId: string;
  readonly alertId: number;
  /** When the alert was raised: with its id, what names it across a restore (ids go back). */
  readonly alertRaisedAt: number;
  readonly at: number;
  readonly change: AlertChangeKind;
  /** How many changes of this kind the alert had before in the same millisecond (usually 0). */
  readonly alikeBefore: number;
  readonly rule: string;
  readonly title: string | null;
  readonly severity: string;
  readonly status: string;
  readonly person: ExportPerson;
  /** The Slack user id of who changed it; null when the bot did. */
  readonly changedBy: string | null;
  /**
   * Whether the alert was for the channel (alone or in a roll-up) just after a `raised` or
   * `channel` change; null on the others, or when not known.
   */
  readonly forChannel: boolean | null;
  /** What kept it out of Slack when raised: a mute, a suppression, a `once` rule; else null. */
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

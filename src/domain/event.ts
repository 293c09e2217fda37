/** Audit-log events: as normalised from what Atlassian sent, and as stored. */

export type AuthKind = "oauth" | "api-token" | "unknown";

/** What a tool does: admin is the `manage` permission group (projects, versions, schemes). */
export const TOOL_CLASSES = ["read", "search", "write", "destructive", "admin"] as const;

export type ToolClass = (typeof TOOL_CLASSES)[number];

/** How much a call of a tool can harm, by the tool catalogue. */
export const TOOL_RISKS = ["low", "medium", "high"] as const;

export type ToolRisk = (typeof TOOL_RISKS)[number];

/** Why an event counts as MCP: its action is listed as MCP by Atlassian, configured, or guessed from its text. */
export type McpBasis = "catalog" | "config" | "guessed";

/**
 * Where in a site an event acted, as far as its items say: the Confluence space and page, the
 * Jira project and issue. Read from the raw JSON (not stored as columns).
 */
/** Every space, page, project and issue an event names, in the order it names them. */
export interface Place {
  readonly spaces: readonly string[];
  readonly pages: readonly string[];
  readonly projects: readonly string[];
  readonly issues: readonly string[];
}

export const NO_PLACE: Place = { spaces: [], pages: [], projects: [], issues: [] };

/** One audit-log event with the columns extracted from it; `raw` is what Atlassian sent. */
export interface NormalizedEvent {
  readonly orgId: string;
  readonly id: string;
  readonly time: number;
  readonly processedAt: number | null;
  readonly action: string;
  readonly actorId: string | null;
  readonly actorName: string | null;
  readonly actorEmail: string | null;
  readonly authKind: AuthKind;
  readonly authType: string | null;
  readonly tokenLabel: string | null;
  readonly onBehalfOfId: string | null;
  readonly onBehalfOfName: string | null;
  readonly onBehalfOfEmail: string | null;
  /** The person behind the event: the on-behalf-of user where given, else the actor. */
  readonly userId: string | null;
  readonly userName: string | null;
  readonly userEmail: string | null;
  readonly ip: string | null;
  readonly country: string | null;
  readonly city: string | null;
  readonly siteHost: string | null;
  readonly product: string | null;
  readonly isMcp: boolean;
  readonly mcpBasis: McpBasis | null;
  readonly clientApp: string | null;
  readonly tool: string | null;
  readonly toolClass: ToolClass | null;
  /** The operation a wrapper tool (`executeWrite`, `executeDestructive`) ran, when the event names it. */
  readonly innerTool: string | null;
  /** True when the tool was read from the message and it named several tools: the class is a guess. */
  readonly toolGuessed: boolean;
  readonly resource: string | null;
  readonly place: Place;
  readonly message: string | null;
  readonly backfilled: boolean;
  readonly raw: string;
}

/** An action key as Atlassian's /event-actions lists it. */
export interface ActionInfo {
  readonly action: string;
  readonly displayName: string | null;
  readonly groupName: string | null;
  /** A complete fetch of the catalogue no longer lists it: no current key, still classifying. */
  readonly retired?: boolean;
}

export interface StoredEvent extends NormalizedEvent {
  readonly seq: number;
  readonly ingestedAt: number;
}

/** The tool of a call as alerts name it: a wrapper with the operation it ran (`executeWrite → createJiraIssueLink`). */
export const calledTool = (e: Pick<NormalizedEvent, "tool" | "innerTool">): string | null =>
  e.tool !== null && e.innerTool !== null ? `${e.tool} → ${e.innerTool}` : e.tool;

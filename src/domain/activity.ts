/** What `/mcp-activity` pages through, and the figures settings guidance is tailored to. */
import type { StoredEvent } from "./event.js";

/** Where a page of latest events ends: the last event shown. */
export interface PageCursor {
  readonly time: number;
  readonly seq: number;
}

export interface GuidanceStats {
  readonly calls: number;
  readonly apiTokenCalls: number;
  readonly writeCalls: number;
  readonly destructiveCalls: number;
  readonly writeSites: number;
  readonly newPeople: number;
  readonly countries: number;
  readonly appAuthorizations: number;
  /** Changes to the controls over AI tool access, newest first. */
  readonly changes: readonly SettingsChange[];
}

/** A change to a control over AI tool access, as the audit log has it. */
export interface SettingsChange {
  readonly action: string;
  /** The action's name in Atlassian's catalogue; null when it does not list the action. */
  readonly name: string | null;
  /** Who made it: their name, else e-mail, else account id; null when the event names nobody. */
  readonly by: string | null;
  readonly time: number;
}

/** MCP calls of a period by site, product, class of tool and authentication (what posture compares). */
export interface ObservedUse {
  readonly site: string | null;
  readonly product: string | null;
  readonly toolClass: string | null;
  /** 1 when the calls name their tool (a class may be unknown all the same), 0 when they name none. */
  readonly toolNamed: number;
  readonly authKind: string;
  readonly calls: number;
}

/** What an activity question filters on: every list means "any of these"; words must all match. */
export interface ActivityFilter {
  readonly orgId: string;
  readonly since: number;
  readonly until: number;
  /**
   * People keyed as quietKey keys them: Atlassian account ids, or `email:` and the address of
   * someone whose calls name no account (see `personIds`); empty: anyone.
   */
  readonly people: readonly string[];
  readonly tools: readonly string[];
  readonly classes: readonly string[];
  readonly products: readonly string[];
  readonly sites: readonly string[];
  readonly actions: readonly string[];
  readonly ips: readonly string[];
  readonly countries: readonly string[];
  readonly auth: readonly string[];
  readonly rules: readonly string[];
  readonly statuses: readonly string[];
  readonly words: readonly string[];
}

/** What aggregates read of one matching event. */
export interface ActivityRow {
  readonly time: number;
  /**
   * Who the call is by, as the digest counts people: the account id, else the e-mail (that of an
   * account's calls counted with the account), else the name; null when it names none.
   */
  readonly person: string | null;
  readonly tool: string | null;
  /** The operation a wrapper ran, when the call names one. */
  readonly innerTool: string | null;
  readonly toolClass: string | null;
  readonly siteHost: string | null;
  readonly authKind: string;
  readonly resource: string | null;
}

export interface ActivitySummary {
  readonly calls: number;
  readonly people: number;
  readonly tools: number;
  readonly sites: number;
  readonly firstSeen: number | null;
  readonly lastSeen: number | null;
  readonly byClass: Readonly<Record<string, number>>;
  readonly byAuth: Readonly<Record<string, number>>;
}

/** What a reply shows about a filter: its figures, then a page of its newest events. */
export interface ActivityResult {
  readonly summary: ActivitySummary;
  readonly sparkline: string;
  readonly topTools: ReadonlyArray<{ key: string; count: number }>;
  readonly topResources: ReadonlyArray<{ key: string; count: number }>;
  readonly latest: readonly StoredEvent[];
  /** Whether more events follow the page. */
  readonly more: boolean;
  /** The newest open alerts about the people asked about, and how many there are. */
  readonly openAlerts: {
    readonly alerts: ReadonlyArray<{ id: number; ruleId: string; title: string; severity: string }>;
    readonly total: number;
  };
}

/** What a CSV row shows of an event: no raw JSON. */
export type CsvEvent = Pick<
  StoredEvent,
  | "time"
  | "userName"
  | "userEmail"
  | "tool"
  | "innerTool"
  | "toolClass"
  | "toolGuessed"
  | "product"
  | "resource"
  | "siteHost"
  | "ip"
  | "country"
  | "authKind"
  | "clientApp"
  | "action"
  | "id"
>;

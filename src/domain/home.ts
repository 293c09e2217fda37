/** What the App Home shows: figures read from the store, rendered by slack/blocks/home-*.ts. */
import type { Learned } from "../triage/decision.js";
import type { Alert } from "./alert.js";
import type { Severity } from "./severity.js";

/** MCP calls in a period, and how many of them wrote or deleted. */
export interface CallFigures {
  readonly calls: number;
  readonly people: number;
  readonly writes: number;
  /** Destructive or admin calls: admin tools are as dangerous (see the mcp-destructive rule). */
  readonly deletes: number;
}

export interface Ranked {
  readonly key: string;
  readonly count: number;
}

/** A ranked account: its name (else e-mail, else id) as `key`, its e-mail and id beside. */
export interface RankedAccount extends Ranked {
  readonly email?: string | null | undefined;
  readonly id?: string | null | undefined;
}

/**
 * What the Home's layout and an organization's one line read: its open alerts' counts, its
 * health, its API key.
 */
export interface OrganizationGlance {
  readonly orgId: string;
  /** Its name, when several are watched. */
  readonly name: string | undefined;
  /**
   * How many open alerts have no message of their own (counted in a roll-up or a summary, or
   * refused by Slack for good): the Home is where they are handled.
   */
  readonly unposted: number;
  /** Open alerts by severity (all of them, also those not listed). */
  readonly openBySeverity: Readonly<Partial<Record<Severity, number>>>;
  readonly health: {
    readonly healthy: boolean;
    readonly lastPoll: number | null;
    readonly lagSeconds: number | null;
    readonly problems: readonly string[];
  };
  /** ATLASSIAN_API_KEY_EXPIRES, when set. */
  readonly apiKeyExpires: number | undefined;
  /** Whether the audit log refuses the key (401, 403) now. */
  readonly apiKeyRejected: boolean;
}

/** One organization's part of a responder's Home. */
export interface OrganizationHome extends OrganizationGlance {
  /** Some of its open alerts: those with no message of their own before the others of a severity. */
  readonly openAlerts: readonly Alert[];
  /** What responders taught about each listed alert's rule and person, by alert id. */
  readonly learned?: ReadonlyMap<number, Learned>;
  /** Which of `openAlerts` have no message of their own, by id. */
  readonly unpostedListed: ReadonlySet<number>;
  readonly today: CallFigures;
  readonly yesterday: CallFigures;
  /** Retention deleted the calls before this time, within those 48 hours: no change is shown. */
  readonly deletedBefore?: number | undefined;
  readonly topPeople: readonly RankedAccount[];
  readonly topTools: readonly Ranked[];
}

/** An alert handled (not open) that has no channel message of its own: who set its status, and when. */
export interface HandledAlert {
  readonly alert: Alert;
  readonly by: string;
  readonly at: number;
}

/** The alerts with no message of their own that were handled lately, the latest first: their Undo. */
export interface HandledLately {
  readonly alerts: readonly HandledAlert[];
  /** How many there are in all, listed or not. */
  readonly total: number;
}

/** What a responder's Home shows. */
export interface ResponderHome {
  readonly now: number;
  readonly organizations: readonly OrganizationHome[];
  /** Alerts handled lately with no message of their own (see HandledLately). */
  readonly handled?: HandledLately;
  /** A line about what was just done (a button clicked here). */
  readonly notice?: string;
  /** The alert the click handled, when it has no message of its own: its Undo goes with the notice. */
  readonly undo?: { readonly id: number; readonly createdAt: number };
}

/** One day of a person's own MCP activity. */
export interface ActivityDay {
  readonly orgId: string;
  /** The day in the person's time zone, YYYY-MM-DD, and when it starts and ends. */
  readonly day: string;
  readonly start: number;
  readonly end: number;
  readonly calls: number;
  readonly writes: number;
  /** Destructive or admin calls. */
  readonly deletes: number;
  readonly tools: readonly Ranked[];
  readonly places: readonly string[];
  /** The person said this day's activity was not them. */
  readonly denied: boolean;
}

/** What anyone else's Home shows: their own activity of the last seven days. */
export interface PersonHome {
  readonly now: number;
  /** Why nothing can be shown (no e-mail, no Atlassian account with it), when so. */
  readonly unknown?: string;
  readonly days: readonly ActivityDay[];
  /** Retention deleted the calls before this time, within the seven days. */
  readonly deletedBefore?: number | undefined;
  /** Organization names, when several are watched. */
  readonly organizations: Readonly<Record<string, string>>;
  readonly notice?: string;
}

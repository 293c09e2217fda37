/** An alert: what the rules raised about a person, and its status as responders set it. */
import type { AuthKind } from "./event.js";
import type { Severity } from "./severity.js";

export type AlertStatus = "open" | "acknowledged" | "expected" | "true_positive";

/**
 * An alert nobody closed: open, or acknowledged (someone is on it). It takes more findings of its
 * group within its window; one marked expected or true positive takes none (see grouping.ts).
 */
export const takesFindings = (status: AlertStatus): boolean =>
  status === "open" || status === "acknowledged";

/**
 * Whether an alert taking findings (takesFindings) takes this one: an acknowledged alert takes no
 * high finding, which is news the responder has not seen (a new alert, posted as any), only lower
 * ones, told in its thread; but for one counting a window of calls (a burst's minutes, a spike's
 * hour) that reaches back into the alert's own: the same burst going on, which the responder is
 * on. Only a window that starts after the alert's last call is a new burst.
 */
export function takesFinding(
  alert: Pick<Alert, "status" | "firstSeen" | "lastSeen">,
  finding: { readonly severity: Severity; readonly counted?: { from: number; to: number } },
): boolean {
  if (alert.status === "open") return true;
  if (alert.status !== "acknowledged") return false;
  const window = finding.counted;
  return (
    finding.severity !== "high" ||
    (window !== undefined && window.from < alert.lastSeen && window.to >= alert.firstSeen)
  );
}

/** The rule id of the alert a person's "not me" raises. */
export const NOT_ME_RULE = "mcp-not-me";
/** Where a "not me" said in the App Home was said (its alert's `detail.source`). */
export const NOT_ME_HOME_SOURCE = "App Home";
/** The rule id of the alert that shows what mutes kept quiet about a person who said "not me". */
export const HIDDEN_BY_MUTE_RULE = "mcp-hidden-by-mute";

/**
 * Rules whose alerts no button mutes, snoozes or suppresses: a canary read is a likely incident,
 * a posture contradiction is fixed in the rules file (a suppression there naming the rule is the
 * one way to quiet either), and what a person's "not me" raises is theirs, never quieted.
 */
const NEVER_QUIETED = new Set([
  "mcp-canary",
  "mcp-posture-drift",
  NOT_ME_RULE,
  HIDDEN_BY_MUTE_RULE,
]);
export const neverQuieted = (ruleId: string): boolean => NEVER_QUIETED.has(ruleId);
/**
 * Said of a mute or suppression an earlier release's buttons set on one of those rules: kept as
 * it was (a person's "not me" still raises what it hid), keeping nothing quiet from now on.
 */
export const NO_LONGER_QUIETS =
  "no longer keeps anything quiet: alerts of this rule are never quieted";

/**
 * Rules a suppression of the rules file covers only when it names them (`rule:`): what an
 * organization declared (watched places, canaries, its posture) or the first trace of a new AI
 * tool or person, which a suppression written for a tool or an account's routine must not hide.
 */
const NAMED_ONLY = new Set([
  "mcp-canary",
  "mcp-posture-drift",
  "mcp-watched-place",
  "mcp-app-authorized",
  "mcp-first-use",
]);
export const coveredOnlyByName = (ruleId: string): boolean => NAMED_ONLY.has(ruleId);

export interface Alert {
  readonly id: number;
  readonly orgId: string;
  readonly ruleId: string;
  readonly severity: Severity;
  readonly status: AlertStatus;
  readonly groupKey: string;
  readonly title: string;
  readonly detail: Readonly<Record<string, unknown>>;
  readonly userId: string | null;
  readonly userName: string | null;
  readonly userEmail: string | null;
  readonly authKind: AuthKind;
  readonly firstEventSeq: number;
  readonly lastEventSeq: number;
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly eventCount: number;
  readonly tools: readonly string[];
  readonly late: boolean;
  readonly suppressedBy: string | null;
  readonly notify: boolean;
  /**
   * What the alert is about beyond its person, when its rule says (see quietSubject): a mute or
   * suppression set from it covers this subject only. Absent: every subject of its rule and person.
   */
  readonly subject?: string;
  /**
   * About the organization rather than its person (a tool, or an AI tool, new to it: see
   * Finding.aboutOrganization): it posts past the hour's budget, as a high alert does.
   */
  readonly aboutOrganization?: boolean;
  readonly revision: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export type NewAlert = Omit<Alert, "id" | "status" | "revision" | "updatedAt">;

/**
 * The MCP calls a finding's title counts: the account's calls after `from`, up to `to` (a burst's
 * minutes, a spike's hour). An alert is about all of them, not only the calls that were findings.
 */
export interface CountedCalls {
  readonly account: string;
  readonly from: number;
  readonly to: number;
}

/** One more event joining an alert's group. */
export interface Growth {
  readonly seq: number;
  /** The title of the finding that brought the event: what this event was (a growth reply says it). */
  readonly title?: string;
  readonly time: number;
  readonly late: boolean;
  /** The group's distinct tools, this event's included. */
  readonly tools: readonly string[];
  readonly severity: Severity;
  /** Whether the finding that grew it is for the channel: an alert kept out of it joins it then. */
  readonly notify: boolean;
  /** A larger finding's title and detail, for an alert whose title counts something. */
  readonly retitle?: { readonly title: string; readonly detail: Alert["detail"] };
  /** The calls the finding's title counts, if it counts calls. */
  readonly counted?: CountedCalls;
}

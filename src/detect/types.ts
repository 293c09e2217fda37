import type { z } from "zod";
import { type ActionInfo, calledTool, type StoredEvent } from "../domain/event.js";
import type { Severity } from "../domain/severity.js";
import type { Posture } from "./posture.js";
import type { WatchedPlace } from "./watch.js";

/** What the engine reads from the store for a rule, as of the event being judged. */
export interface Facts {
  /** The action's names in Atlassian's catalogue, where listed. */
  readonly action?: ActionInfo;
  /**
   * Whether this person made an MCP call before (whatever its tool): at all, on this site, in
   * this product; and whether anyone in the organization made one before with this AI tool (OAuth
   * client app). An event that names no account is no person's: its person's parts are all true.
   */
  readonly seenBefore?: {
    readonly user: boolean;
    readonly site: boolean;
    readonly product: boolean;
    readonly app: boolean;
    /**
     * "Before" is made before, not stored before. Of a first (`false` above) that reached the
     * audit log after calls of its kind made later: one of those (the first its index holds).
     */
    readonly overtakes?: {
      readonly user?: number;
      readonly site?: number;
      readonly product?: number;
      readonly app?: number;
    };
  };
  /**
   * Whether an earlier MCP call in the organization used this tool, and whether there was any
   * earlier MCP call with a tool at all (the history a new tool is new against); `overtakes` as
   * in seenBefore.
   */
  readonly toolSeen?: {
    readonly before: boolean;
    readonly history: boolean;
    readonly overtakes?: number;
  };
  /**
   * This person's MCP calls, and distinct resources read, in the burst window ending now (the
   * busiest holding the event, for one stored after later calls), and when each window ends.
   */
  readonly recent?: {
    readonly calls: number;
    readonly distinctReads: number;
    readonly callsEnd?: number;
    readonly readsEnd?: number;
  };
  /** This account's API-token MCP calls in the history fetched on first start. */
  readonly tokenHistory?: number;
  /** This account's MCP calls in the hour ending now, and its hourly average in the week before. */
  readonly volume?: {
    readonly lastHour: number;
    readonly perHourBefore: number;
    /** When that hour ends. */
    readonly lastHourEnd?: number;
  };
  /**
   * From the baselines kept as events are stored: when this person's first MCP call happened,
   * and the scopes (`site:…`, `product:…`, `space:<site>/<KEY>`, `project:<site>/<KEY>`) this
   * very call was their first into.
   */
  readonly scopes?: { readonly firstCall: number | null; readonly opened: readonly string[] };
  /**
   * This person's calls in the hour ending now, when their first MCP call happened, and their
   * calls in each hour with any over the baseline's days before this hour.
   */
  readonly hourly?: {
    readonly lastHour: number;
    /** When that hour ends. */
    readonly lastHourEnd?: number;
    readonly firstCall: number | null;
    readonly activeHours: readonly number[];
  };
  /**
   * This person's MCP calls in the look-back: whether any said a country (`located`) or an address
   * (`addressed`), and whether one came from this country / this /24.
   */
  readonly places?: {
    readonly located: boolean;
    readonly addressed: boolean;
    readonly countrySeen: boolean;
    readonly subnetSeen: boolean;
  };
}

export type FactKind = keyof Facts;

/**
 * How a rule's findings reach the channel:
 * - `alert`: one alert per person per grouping window (groupingWindowMinutes);
 * - `group`: one alert per person per `windowHours`, a thread reply per new finding;
 * - `once`: one alert per subject (the rule says what a subject is), then only the digest, for
 *   `days` (null: for good);
 * - `digest`: stored and counted, never posted.
 */
export type AlertMode =
  | { readonly kind: "alert" }
  | { readonly kind: "group"; readonly windowHours: number }
  | { readonly kind: "once"; readonly days: number | null }
  | { readonly kind: "digest" };

/** One reason to alert, before grouping and suppression. */
export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  /** One line for people: "Alice's first MCP call", "deleteJiraIssue by Bob". */
  readonly title: string;
  /** A few facts for the message, by name. */
  readonly detail: Readonly<Record<string, string | number | boolean | null>>;
  /**
   * What this finding is about beyond its person, when the rule says (a contradiction of the
   * posture): `once` counts it as the subject, and findings group by it.
   */
  readonly subject?: string;
  /**
   * About the organization rather than its person (an AI tool or a tool new to it): a mute or
   * suppression set for the person never quiets it.
   */
  readonly aboutOrganization?: boolean;
  /**
   * How large the finding is, when its title counts something (calls in the window): a growing
   * alert takes the title and detail of its largest finding, so what it says stays true.
   */
  readonly figure?: number;
  /**
   * The calls its title counts, when it counts its person's MCP calls in a window: those after
   * `from`, up to `to`. The alert is about them all (queries, exports and retention), not only
   * the calls that were findings.
   */
  readonly counted?: { readonly from: number; readonly to: number };
  /**
   * A first that reached the audit log after a call made later, which the rules judged as the
   * first (its seq): it grows the alert that call is in, when that alert is about the same
   * person or tells the organization of the same subject (AlertSink.holding), rather than
   * opening another.
   */
  readonly overtakes?: number;
}

/** Configuration that several rules (and later features) share. */
export interface RuleContext {
  readonly workingHours: {
    readonly timezone: string;
    readonly days: readonly string[];
    readonly start: string;
    readonly end: string;
  };
  /** The sensitive places and canaries of the rules file (`watch`). */
  readonly watch: readonly WatchedPlace[];
  /** The posture the rules file declares (`posture`). */
  readonly posture: Posture;
}

/**
 * What a rule says about an event; the engine adds the rule id and the configured severity,
 * unless the hit brings its own (a watched place's).
 */
export type Hit = Omit<Finding, "ruleId" | "severity"> & { readonly severity?: Severity };

/**
 * A detection rule: a pure function of one new event, the facts the engine read for it, and the
 * rule's settings. No I/O, no clock.
 */
export interface Rule<S = unknown> {
  readonly id: string;
  readonly defaultSeverity: Severity;
  readonly defaultEnabled: boolean;
  /** Shown to responders: why this matters. */
  readonly explanation: string;
  readonly needs: readonly FactKind[];
  /** How its findings reach the channel unless the rules file says otherwise (default: alert). */
  readonly defaultMode?: AlertMode;
  /**
   * What `once` counts as one (default: the person): an account and its pattern of use, a person
   * and a country, the account an admin acted on. `subjectName` names it for the quiet alerts
   * that follow ("this account's pattern"). In `once` mode findings group by it (or by
   * `groupSubject`); in every mode a mute or suppression set from an alert covers its subject
   * alone (see quietSubject).
   */
  readonly subject?: (event: StoredEvent, facts: Facts) => string | undefined;
  readonly subjectName?: string;
  /**
   * In `once` mode, what findings group by when it is broader than what `once` counts: an
   * account's spike, counted once a UTC day, is one alert while it runs, past midnight too.
   * Undefined: `subject`.
   */
  readonly groupSubject?: (event: StoredEvent, facts: Facts) => string | undefined;
  /**
   * What a mute or suppression set from its alert covers, when not what `once` counts (a person
   * and the country of a call, its new network in it too; an account's spikes whatever the day);
   * undefined: the finding's own subject, else `subject`.
   */
  readonly quietSubject?: (event: StoredEvent, facts: Facts) => string | undefined;
  /** The rule's own settings with their defaults (a strict object); the rules file sets them. */
  readonly settings: z.ZodType<S, Record<string, unknown> | undefined>;
  evaluate(event: StoredEvent, facts: Facts, settings: S, context: RuleContext): Hit | null;
}

/**
 * A tool as titles show it: with the operation a wrapper ran, and said to be a guess when the
 * message named several tools ("executeWrite → createJiraIssueLink", "deleteJiraIssue (guessed
 * from the message)").
 */
export function toolLabel(event: StoredEvent): string {
  const name = calledTool(event) ?? event.action;
  return event.toolGuessed ? `${name} (guessed from the message)` : name;
}

/** Who an event is about, for titles. */
export function who(event: StoredEvent): string {
  return (
    event.userName ??
    event.userEmail ??
    event.actorName ??
    event.userId ??
    event.actorId ??
    "an unknown actor"
  );
}

/**
 * A first's hit, saying so when it overtakes a call made later that the rules judged first
 * (Finding.overtakes): the thread of the alert it grows tells who was really first, and when.
 */
export function overtaking(overtakes: number | undefined, hit: Hit): Hit {
  if (overtakes === undefined) return hit;
  return {
    ...hit,
    title: `${hit.title}, made before the calls seen first (it reached the audit log late)`,
    overtakes,
  };
}

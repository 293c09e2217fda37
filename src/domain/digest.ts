/** The digests (daily and weekly): their figures, and the message made of them. */
import type { KnownBlock } from "@slack/types";
import type { RankedAccount } from "./home.js";

/** What one digest reports, read from the store for one period (and the one before it). */
export interface PeriodFigures {
  readonly calls: number;
  readonly people: number;
  readonly tools: number;
  readonly sites: number;
}

/** MCP calls in one bucket of the chart (an hour, or wider over a longer period), by tool class. */
export interface TimeBucket {
  readonly start: number;
  readonly read: number;
  readonly search: number;
  readonly write: number;
  readonly destructive: number;
  readonly admin: number;
  /** MCP calls of no known class (the call named no tool). */
  readonly other: number;
}

/**
 * MCP calls Atlassian recorded after the digest of their period was made (it processed them
 * late): how many, by how many people, and the earliest one's time.
 */
export interface LateArrivals {
  readonly calls: number;
  readonly people: number;
  readonly earliest: number;
}

/** One event of an alert a digest names, by its finding's title. */
export interface NamedFinding {
  readonly title: string;
  /**
   * When it was made, for one dated before the period whose alert was raised after the digest
   * before it was composed (Atlassian recorded it late, or the rules judged it late): no digest
   * named it.
   */
  readonly arrivedLate?: number;
}

export interface DigestData {
  readonly orgId: string;
  readonly since: number;
  readonly until: number;
  readonly current: PeriodFigures;
  /** The same span just before the period (the week before, for a period over a day). */
  readonly previous: PeriodFigures;
  readonly previousSince: number;
  readonly byClass: Readonly<Record<string, number>>;
  /** Width of each bucket in ms: an hour up to a day and a half, wider over longer periods. */
  readonly bucketMs: number;
  readonly buckets: readonly TimeBucket[];
  readonly topPeople: readonly RankedAccount[];
  readonly topTools: ReadonlyArray<{ key: string; count: number }>;
  /**
   * People whose first MCP call ever falls in the period: the first 50, and how many in all. Each
   * with the name and e-mail of their newest call that names them, their account id (null when
   * their calls name none: they are told by e-mail, else name), and the tool and app of their
   * first call.
   */
  readonly firstTimers: ReadonlyArray<{
    name: string;
    email: string | null;
    id: string | null;
    /** As alerts name it: a wrapper with the operation it ran (`executeWrite → createJiraIssueLink`). */
    tool: string | null;
    app: string | null;
  }>;
  readonly firstTimerCount: number;
  /** MCP calls dated before the period and stored after the digest before it: in no digest. */
  readonly arrivedLate: LateArrivals | null;
  /**
   * MCP calls with an API token, and the accounts that made them, each once (by its id), the most
   * calls first, with the name and e-mail of its newest call in the period.
   */
  readonly apiToken: {
    readonly calls: number;
    readonly accounts: ReadonlyArray<{
      readonly name: string;
      readonly email: string | null;
      readonly id?: string | null | undefined;
    }>;
  };
  /**
   * MCP app authorizations made in the period, or dated before it and alerted after the digest
   * before (each event of their alerts): the first 20, and how many in all.
   */
  readonly appAuthorizations: readonly NamedFinding[];
  readonly appAuthorizationCount: number;
  /**
   * Changes of admin settings made in the period, or dated before it and alerted after the digest
   * before (each event of their alerts): the first 20, and how many in all.
   */
  readonly settingsChanges: readonly NamedFinding[];
  readonly settingsChangeCount: number;
  /**
   * Alerts raised in the period, by rule: raised; posted and still open; open but never posted
   * (below minSeverity, or a digest-mode rule: nothing to act on in the channel); quieted (a
   * suppression, a mute, or a `once` rule that already alerted about its subject).
   */
  readonly alerts: ReadonlyArray<{
    ruleId: string;
    raised: number;
    open: number;
    digestOnly: number;
    quieted: number;
  }>;
  /**
   * Posted alerts still open, raised in the period or before it, with their Slack message, most
   * severe and oldest first: the first 10, and how many in all.
   */
  readonly openAlerts: ReadonlyArray<{
    id: number;
    title: string;
    severity: string;
    /** When it was raised: one raised before the period says since when it waits. */
    createdAt: number;
    link: string | null;
  }>;
  readonly openAlertCount: number;
  readonly health: {
    readonly lagSeconds: number | null;
    readonly quarantined: number;
    readonly keyRejected: boolean;
    readonly lastError: string | null;
    /** Made by a command, outside the bot: the poller's state is not known, only what is stored. */
    readonly outsideBot?: boolean;
  };
}

/**
 * Alerts raised in a period by one rule, by what responders made of them with the buttons; the
 * five counts add up to `raised`.
 */
export interface RuleOutcome {
  readonly ruleId: string;
  readonly raised: number;
  readonly truePositive: number;
  readonly expected: number;
  readonly acknowledged: number;
  /** Posted to the channel and not triaged yet. */
  readonly open: number;
  /** Not triaged and never posted: below the channel's severity, or suppressed (digest only). */
  readonly unposted: number;
}

/** A first sighting in the store: a tool or a site never seen in an MCP event before the period. */
export interface FirstSeen {
  readonly key: string;
  readonly calls: number;
  readonly people: number;
}

/** The weekly digest: the daily figures over the week, what is new, and each rule's outcomes. */
export interface WeeklyData extends DigestData {
  /** MCP calls in each window of the trend (see trendStarts in digest/build-weekly.ts). */
  readonly callsPerDay: readonly number[];
  readonly newTools: readonly FirstSeen[];
  readonly newSites: readonly FirstSeen[];
  readonly ruleOutcomes: readonly RuleOutcome[];
}

export interface DigestMessage {
  readonly text: string;
  readonly blocks: KnownBlock[];
  /** Sections that did not fit in the parent, posted as thread replies in order. */
  readonly replies: KnownBlock[][];
}

/** A scheduled digest not made: the poller has failed to read the audit log since the first start. */
export interface UnreadDigest {
  readonly kind: "daily" | "weekly";
  /** Its scheduled time, the end of its period. */
  readonly end: number;
  /** The poller's last error, which says what to fix. */
  readonly lastError: string;
  /** Part of the history is stored: the poller read some of it, then failed. */
  readonly partly: boolean;
}

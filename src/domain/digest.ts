/** The daily digest: its figures, and the message made of them. */
import type { KnownBlock } from "@slack/types";

/** What one digest reports, read from the store for one period (and the one before it). */
export interface PeriodFigures {
  readonly calls: number;
  readonly people: number;
  readonly tools: number;
  readonly sites: number;
}

export interface HourBucket {
  readonly start: number;
  readonly read: number;
  readonly search: number;
  readonly write: number;
  readonly destructive: number;
}

export interface DigestData {
  readonly orgId: string;
  readonly since: number;
  readonly until: number;
  readonly current: PeriodFigures;
  readonly previous: PeriodFigures;
  readonly byClass: Readonly<Record<string, number>>;
  readonly hours: readonly HourBucket[];
  readonly topPeople: ReadonlyArray<{ key: string; count: number }>;
  readonly topTools: ReadonlyArray<{ key: string; count: number }>;
  /** People whose first MCP call ever falls in the period. */
  readonly firstTimers: ReadonlyArray<{ name: string; tool: string | null; app: string | null }>;
  readonly apiToken: { readonly calls: number; readonly accounts: readonly string[] };
  readonly appAuthorizations: ReadonlyArray<{ title: string }>;
  readonly settingsChanges: ReadonlyArray<{ title: string }>;
  /** Alerts raised in the period, by rule: raised, still open, suppressed. */
  readonly alerts: ReadonlyArray<{
    ruleId: string;
    raised: number;
    open: number;
    suppressed: number;
  }>;
  /** Open alerts raised in the period with their Slack message, most severe first. */
  readonly openAlerts: ReadonlyArray<{
    id: number;
    title: string;
    severity: string;
    link: string | null;
  }>;
  readonly health: {
    readonly lagSeconds: number | null;
    readonly quarantined: number;
    readonly keyRejected: boolean;
    readonly lastError: string | null;
  };
}

export interface DigestMessage {
  readonly text: string;
  readonly blocks: KnownBlock[];
  /** Sections that did not fit in the parent, posted as thread replies in order. */
  readonly replies: KnownBlock[][];
}

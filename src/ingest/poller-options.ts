import type { AtlassianClient } from "../atlassian/client.js";
import type { Clock } from "../clock.js";
import type { Logger } from "../logger.js";
import type { Repositories } from "../store/repositories.js";
import type { Added } from "./batch-write.js";
import type { PollError } from "./poll-failures.js";
import type { ToolCatalogue } from "./tools.js";

/**
 * Events read before a commit when none is named (`mcp-activity poll`): larger batches write each
 * index page fewer times, and hold the event loop longer (tens of milliseconds a commit).
 */
export const BATCH_EVENTS = 2_000;

/**
 * Events read before a commit in the running bot: a page holds up to 200, so each page is
 * committed (live ones 40 events a transaction, see LIVE_CHUNK) and the event loop answers
 * /healthz, the metrics and Slack between pages.
 */
export const BOT_BATCH_EVENTS = 100;

/**
 * Pages one poll follows by cursor at most: a backstop against cursors that lead on for ever
 * (those that come back to a page already read end the poll sooner, see CursorTrail). A poll
 * that reaches it ends there, and the next goes on from that cursor soon: a backfill of more
 * (a million events at 200 a page) is read in several polls, not cut short.
 */
export const MAX_PAGES = 5_000;

/** Said when a poll ends at its most pages (see MAX_PAGES). */
export const CAPPED =
  "a poll read as many pages of the audit log as one poll reads: it ends there, not taken as read to the end, and the next goes on from that cursor in a few seconds";

/** What a Poller is built with, and what it says of a poll and of itself. */

export interface PollerOptions {
  readonly stores: Pick<
    Repositories,
    | "events"
    | "pollStates"
    | "prunedBefore"
    | "quarantine"
    | "quarantineRecovery"
    | "eventActions"
    | "judgeAgain"
    | "lateness"
    | "classifyAgain"
    | "unfilledCalls"
    | "orgNames"
    | "writeTransaction"
  >;
  readonly client: AtlassianClient;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly intervalMs: number;
  readonly backfillDays: number;
  readonly extraMcpKeys?: readonly string[];
  /** The tool catalogue with the rules file's tools (default: the one shipped). */
  readonly tools?: ToolCatalogue;
  readonly pageLimit?: number;
  /** Pages one poll follows by cursor at most (MAX_PAGES when not named). */
  readonly maxPages?: number;
  /** Events read before a commit (BATCH_EVENTS when not named). */
  readonly batchSize?: number;
  /** Called after each commit, e.g. to run the detection rules. */
  readonly onCommit?: () => void;
  /**
   * Told after each commit what it stored that was not there (for metrics): counted as it is
   * committed, so a poll that fails later still counts what it stored.
   */
  readonly onStored?: (added: Added) => void;
  /** Told after every poll: what it stored, or the kind of failure (for metrics). */
  readonly onPoll?: (outcome: PollResult | { readonly kind: string }) => void;
}

type Hooks = "onCommit" | "onStored" | "onPoll";

/** The options with their defaults filled in; the hooks stay optional. */
export type PollerSettings = Required<Omit<PollerOptions, Hooks>> & Pick<PollerOptions, Hooks>;

export interface PollResult {
  readonly pages: number;
  readonly stored: number;
  readonly duplicates: number;
  readonly quarantined: number;
  readonly backfill: boolean;
}

export interface PollerHealth {
  readonly healthy: boolean;
  readonly lastSuccessAt: number | null;
  readonly lagSeconds: number | null;
  readonly eventsStored: number;
  readonly mcpEventsStored: number;
  readonly quarantined: number;
  readonly mcpActionKeys: readonly string[];
  readonly keyRejected: boolean;
  /** Whether the check at start found no such organization (see PollFailures.notFound). */
  readonly orgNotFound: boolean;
  readonly lastError: PollError | null;
  /** Whether a page came in after the last failure (true with none since a poll's end). */
  readonly readSinceFailure: boolean;
}

import { AtlassianError } from "../atlassian/errors.js";
import { type Retry, retryWords } from "../atlassian/retry.js";
import type { Logger } from "../logger.js";
import { storeProblem } from "../store/errors.js";
import { DAY, MINUTE } from "../time-units.js";
import { capWait } from "../wait.js";
import { databaseRetryMs } from "./database-retry.js";

/** Refused after working this long, a key has most likely expired rather than been mistyped. */
const LONG_HEALTHY_MS = 7 * DAY;

export interface PollError {
  readonly kind: string;
  readonly message: string;
  readonly at: number;
}

/**
 * What a poller is waiting on the API for: a poll, or the check of the key and organization; and
 * whether one of its requests was tried again (the log said so).
 */
export type Working = { readonly what: "poll" | "access"; readonly retried: boolean } | undefined;

/** What a slow poller is waiting on; once a request was tried again, the log says why. */
const SLOW = {
  poll: {
    waiting: "a poll is still running, waiting for the API to answer",
    retrying: "a poll is still running, retrying the API (see the log)",
  },
  access: {
    waiting: "checking the API key and organization: no answer yet",
    retrying: "checking the API key and organization: no answer yet, retrying (see the log)",
  },
} as const;

/** Since when the key worked (the end of the backfill window) and when it last did. */
export interface KeyHistory {
  readonly since: number | null;
  readonly last: number | null;
}

/** The slow pace after the key was rejected: five intervals, within 5 to 15 minutes. */
function authRetryMs(intervalMs: number): number {
  return Math.min(15 * MINUTE, Math.max(5 * MINUTE, intervalMs * 5));
}

/**
 * What went wrong with the polls of one organization: the last failure (for health), whether the
 * key is refused, the log said once per kind of trouble, and how long to wait before the next.
 */
export class PollFailures {
  private error: PollError | null = null;
  private rejected = false;
  /** The key sees no such organization, or the base address is not the API's: a setting to fix. */
  private orgMissing = false;
  /** A page came in after the last failure: one the poll read on after (order, not clock time). */
  private readAfter = false;
  /** The kind of failure last logged, while polls keep failing so: said once, not each poll. */
  private said: string | null = null;
  /** A request was tried again since the poll began. */
  private retrying = false;
  /** The kind of retry last logged at warn, while every poll retries: said once, not each poll. */
  private retrySaid: string | null = null;
  /** Polls in a row the database failed: the next is tried again sooner than the interval. */
  private databaseFailures = 0;
  /**
   * Until when the API asked not to be asked again (a Retry-After the client did not wait out),
   * however the poll then failed: a commit that met a lock must not make the next poll ask sooner.
   */
  private askedUntil = 0;

  constructor(
    private readonly o: {
      readonly log: Logger;
      readonly intervalMs: number;
      readonly keyHistory: () => KeyHistory;
    },
  ) {}

  get lastError(): PollError | null {
    return this.error;
  }

  get keyRejected(): boolean {
    return this.rejected;
  }

  /** Whether the audit log was read since the last failure (or none happened since a poll's end). */
  get readSinceFailure(): boolean {
    return this.error === null || this.readAfter;
  }

  /** A page of the audit log came in. */
  pageRead(): void {
    this.readAfter = true;
  }

  /** Whether the last access check found no such organization (see notFound). */
  get orgNotFound(): boolean {
    return this.orgMissing;
  }

  /**
   * What to show as the poller's error: the last failure; else, with no progress since
   * `progress` and work still waiting on the API (a 429 storm, a slow API), that it is slow.
   */
  shown(now: number, progress: number, stale: boolean, working: Working): PollError | null {
    if (this.error !== null || !stale || working === undefined) return this.error;
    const slow = SLOW[working.what][working.retried ? "retrying" : "waiting"];
    return {
      kind: "slow",
      message: `no progress since ${new Date(progress).toISOString()}: ${slow}`,
      at: now,
    };
  }

  /**
   * A poll begins: the retries said before go on being said once while every poll retries; a
   * poll before it that retried nothing ends them.
   */
  pollBegan(): void {
    if (!this.retrying) this.retrySaid = null;
    this.retrying = false;
  }

  /** Whether a request of the poll running (or the last) was tried again. */
  get retriedInPoll(): boolean {
    return this.retrying;
  }

  /**
   * A request of a poll is tried again: the first retry of a poll is said at warn (the health of
   * a slow poll points at the log), unless the polls before it retried so too; the others at
   * debug, by the client. A poll whose retries all fail is said as any failed poll (failed).
   */
  retried(retry: Retry): void {
    const first = !this.retrying;
    this.retrying = true;
    if (!first || this.retrySaid === retry.kind) return;
    this.retrySaid = retry.kind;
    const { kind, waitMs } = retry;
    this.o.log.warn({ kind, retry: retry.retry, of: retry.of, waitMs }, retryWords(retry));
  }

  /** The API answered: the key is accepted again, and the organization is found. */
  accepted(): void {
    this.rejected = false;
    this.orgMissing = false;
  }

  /**
   * The access check found no such organization (a wrong ATLASSIAN_ORG_ID, or a base address
   * whose list of organizations answers 404): the key was accepted, but no poll can read the log
   * until the setting is fixed, so health says so at once rather than after three intervals.
   */
  notFound(): void {
    this.rejected = false;
    this.orgMissing = true;
  }

  /** A request was refused: a wait it asked for (a 429's Retry-After) is kept (see askedUntil). */
  refused(error: unknown, now: number): void {
    if (!(error instanceof AtlassianError) || error.retryAfterMs === undefined) return;
    this.askedUntil = Math.max(this.askedUntil, now + capWait(error.retryAfterMs).ms);
  }

  /** A poll went to its end: what went wrong before is over, and said to be. */
  succeeded(): void {
    if (this.said !== null) this.o.log.info({ previous: this.said }, "polling works again");
    this.said = null;
    this.error = null;
    this.databaseFailures = 0;
  }

  /** Logs a failed poll at `level` the first time in a row it fails so, at debug after. */
  private say(key: string, level: "warn" | "error", fields: object, line: string): void {
    this.o.log[this.said === key ? "debug" : level](fields, line);
    this.said = key;
  }

  /** Keeps and logs a failed poll, and says how long to wait before the next. */
  failed(error: unknown, now: number): number {
    const { log, intervalMs } = this.o;
    this.readAfter = false;
    const store = storeProblem(error);
    this.databaseFailures = store ? this.databaseFailures + 1 : 0;
    if (error instanceof AtlassianError) {
      this.error = { kind: error.kind, message: error.message, at: now };
      if (error.kind === "auth") {
        if (!this.rejected) log.error({ status: error.status }, this.rejection(error, now));
        this.rejected = true;
        // Its end is said too ("polling works again").
        this.said = "auth";
        return authRetryMs(intervalMs);
      }
      this.say(
        error.kind,
        "warn",
        { kind: error.kind, status: error.status },
        `poll failed: ${error.message}`,
      );
      const asked = error.retryAfterMs ?? 0;
      const wait = capWait(asked);
      if (wait.capped)
        log.warn(
          { askedMs: asked, waitMs: wait.ms },
          `the API asked to wait ${Math.round(asked / 1000)} s; polling again in ${Math.round(wait.ms / 1000)} s, the longest this app waits`,
        );
      return Math.max(intervalMs, wait.ms);
    }
    // A full disk, a lock, a read-only file: once fixed, the same file goes on. A damaged file
    // or disk may be replaced by a backup, and what came since with it.
    const resumes = store !== undefined && /^SQLITE_(FULL|BUSY|READONLY)/.test(store.code);
    const message = store
      ? `${store.message}${resumes ? "; polling resumes where it stopped, nothing is lost" : ""}`
      : error instanceof Error
        ? error.message
        : String(error);
    this.error = { kind: store ? "database" : "internal", message, at: now };
    // A known database problem is said in its words; anything else with its stack.
    this.say(
      store?.code ?? "internal",
      "error",
      store ? {} : { err: error },
      `poll failed: ${message}`,
    );
    // Polling, and /healthz, is back soon after the disk or the lock is freed, however long
    // the interval; a database that stays failing is tried less and less often. Never before the
    // end of a wait the API asked for, though: a page it refused may be what ended the poll.
    const soon = store
      ? databaseRetryMs(store.code, this.databaseFailures, intervalMs)
      : intervalMs;
    return Math.max(soon, capWait(this.askedUntil - now).ms);
  }

  /** A key that worked for a long time and is now refused has most likely expired. */
  private rejection(error: AtlassianError, now: number): string {
    const { since, last } = this.o.keyHistory();
    if (last === null || since === null || now - since < LONG_HEALTHY_MS) return error.message;
    const from = new Date(since).toISOString().slice(0, 10);
    return `${error.message}: it worked from ${from} until ${new Date(last).toISOString()}, so it has probably expired (organization API keys last at most a year) or been revoked. Create a new key in Atlassian Administration → Settings → API keys, set ATLASSIAN_API_KEY and restart.`;
  }
}

import { backoffMs } from "../atlassian/retry.js";

/** The key that holds every organization: the receiver itself is to wait. */
export const RECEIVER = "\u0000receiver";
/** …or the database: positions the receiver took are to be saved first. */
export const DATABASE = "\u0000database";

export interface Retry {
  readonly at: number;
  readonly attempt: number;
  readonly reason: string;
}

/**
 * What the export is to send again, when and why: an organization's batch (a 5xx without
 * Retry-After: a batch the receiver cannot take must not hold up the other organizations), or
 * everything (RECEIVER: it asked to wait, or did not answer; DATABASE: the positions it took are
 * not saved yet). With the failure said for each scope while it lasts, and the last failure.
 */
export class Retries {
  private readonly retries = new Map<string, Retry>();
  /** Its kind and status, not the receiver's page, which may name a request id. */
  private readonly said = new Map<string, string>();
  /** The last failure, until nothing is left to retry. */
  lastError: { message: string; at: number } | null = null;

  constructor(private readonly random: () => number) {}

  get(key: string): Retry | undefined {
    return this.retries.get(key);
  }

  due(key: string, now: number): boolean {
    return (this.retries.get(key)?.at ?? 0) <= now;
  }

  /** The next attempt at `key`, and its backoff. */
  next(key: string): { attempt: number; backoff: number } {
    const attempt = (this.retries.get(key)?.attempt ?? 0) + 1;
    return { attempt, backoff: backoffMs(attempt - 1, this.random) };
  }

  /** `key` is to be tried again at `retry.at`, and its failure is the last. */
  set(key: string, retry: Retry, now: number): void {
    this.retries.set(key, retry);
    this.lastError = { message: retry.reason, at: now };
  }

  /** Whether `what` was said of `key` already; from now on it is. */
  saidBefore(key: string, what: string): boolean {
    const before = this.said.get(key) === what;
    this.said.set(key, what);
    return before;
  }

  /**
   * Forgets the wait of `key`, and the failure once no retry is left; its failure stays said
   * (the receiver's wait is past, but it has not taken records since).
   */
  passed(key: string): void {
    if (this.retries.delete(key) && this.retries.size === 0) this.lastError = null;
  }

  /**
   * Forgets the retry of `key` (an organization, RECEIVER or DATABASE) as `passed`, and its
   * failure said; whether it had been.
   */
  over(key: string): boolean {
    this.passed(key);
    return this.said.delete(key);
  }

  /** The organization's batch went: its retry and the receiver's are over; whether one was said. */
  delivered(orgId: string): boolean {
    this.retries.delete(orgId);
    this.retries.delete(RECEIVER);
    if (this.retries.size === 0) this.lastError = null;
    return [orgId, RECEIVER].filter((scope) => this.said.delete(scope)).length > 0;
  }

  /**
   * The retry the next pass waits for: the receiver's or the database's while not due (`all`),
   * else the first organization's, due or not; none when nothing is to be sent again.
   */
  waiting(now: number): { retry: Retry; all: boolean } | undefined {
    const all = [RECEIVER, DATABASE]
      .map((key) => this.retries.get(key))
      .find((r) => r && r.at > now);
    if (all) return { retry: all, all: true };
    const first = [...this.retries.values()].sort((a, b) => a.at - b.at)[0];
    return first && { retry: first, all: false };
  }
}

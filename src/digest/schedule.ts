import type { Clock } from "../clock.js";
import type { UnreadDigest } from "../domain/digest.js";
import { MAX_WAIT_MS, ReadThroughWait } from "../ingest/read-through-wait.js";
import { failureOf } from "../store/errors.js";
import { DAY } from "../time-units.js";
import { wallTime } from "../time-zone.js";
import { counted } from "../words.js";
import { type HandledFailure, Loop, type Worker } from "../workers/worker.js";
import { type ComposeDeps, createDigest, firstStartOf } from "./compose.js";
import { notRead } from "./not-read.js";
import { scheduledPeriodStart, scheduledTimes, summaryOwed } from "./periods.js";

export { scheduledTimes } from "./periods.js";

/** Later than this after its time, a digest says it is late. */
const LATE_MS = 5 * 60_000;
/** How often a digest waiting for a poll after its period looks again. */
const WAIT_TICK_MS = 5_000;
/** The loop wakes at least this often, to post the backfill summary once the backfill ends. */
const TICK_MS = 60_000;

export interface ScheduleOptions extends ComposeDeps {
  readonly clock: Clock;
  readonly cron: string;
  /** `daily` (DIGEST_CRON, with the first start's backfill summary) or `weekly` (DIGEST_WEEKLY_CRON). */
  readonly kind?: "daily" | "weekly";
  /**
   * When the audit log is known read: the start of the last poll that read it to its end. A
   * period's digest waits for one begun after its end (see `scheduled`). Without it, none waits.
   */
  readonly readThrough?: () => number | null;
  /** Asks for a poll now: a digest that waits for one does not wait for the poll interval. */
  readonly pollSoon?: () => void;
  /** Tells the channel a scheduled digest is not made: the poller fails to read the audit log. */
  readonly unread?: (digest: UnreadDigest, now: number) => void;
  /**
   * Whether the poller fails (unhealthy: a refused key, no such organization, no progress for
   * three intervals), not merely retries after one failure while it reads on.
   */
  readonly pollerFailing?: () => boolean;
}

/** What a digest asked for now became: queued, made already this instant, or not made yet. */
export type OnDemand = "queued" | "exists" | "backfilling";

/** What digests asked of several organizations at once came to, said as one: the most telling. */
export function onDemandOfAll(made: readonly OnDemand[]): OnDemand {
  return (["queued", "backfilling", "exists"] as const).find((m) => made.includes(m)) ?? "exists";
}

/**
 * Creates a digest at each time of its cron in DIGEST_TIMEZONE, covering the time since the one
 * before (a Monday digest of a Monday–Friday cron covers the weekend), once per period whatever
 * restarts happen; on start, the one digest missed while the process was down, marked late and
 * covering everything since the last one recorded (no gap, never a flood); and for the daily
 * kind, once, after the first start's backfill, its summary. The outbox posts what is created.
 */
export class DigestScheduler {
  /** When the bot started, by its clock: lowered to now if that clock was ahead (see `tick`). */
  private startedAt: number;
  private readonly kind: "daily" | "weekly";
  /** The last scheduled time found due while the history was not read: not posted, said once. */
  private passedInBackfill = Number.NEGATIVE_INFINITY;
  /** A period's end whose digest waits for the poll after it. */
  private waiting: number | undefined;
  private readonly read: ReadThroughWait;
  /** The failure last said, while ticks keep failing: said once (repeats at debug), and its end. */
  private failing: string | undefined;
  /** The time before start whose digest the catch-up owes until made (a tick retries it). */
  private owed: number | undefined;

  constructor(private readonly o: ScheduleOptions) {
    this.startedAt = o.clock.now();
    this.kind = o.kind ?? "daily";
    this.read = new ReadThroughWait({
      ...(o.readThrough && { readThrough: o.readThrough }),
      ...(o.pollSoon && { pollSoon: o.pollSoon }),
      readBefore: () => o.stores.pollStates.get(o.orgId)?.lastProcessedAt ?? null,
      logger: o.logger.child({ kind: this.kind }),
      short: () =>
        `the ${this.kind} digest is made without a poll after its period: the audit log could not be read to its end in ${MAX_WAIT_MS / 60_000} minutes, and calls stored later are in no digest`,
    });

    this.worker = new Loop({
      name: this.kind === "daily" ? "digest" : "weekly-digest",
      orgId: this.o.orgId,
      clock: this.o.clock,
      logger: this.o.logger,
      failure: `the ${this.kind} digest could not be prepared`,
      before: () => this.catchUp(),
      waitFirst: true,
      every: (now) => {
        const { next } = scheduledTimes(this.o.cron, this.o.timeZone, now);
        const tick = this.waiting === undefined ? TICK_MS : WAIT_TICK_MS;
        return Math.min(tick, Math.max(0, next - now));
      },
      pass: () => this.tick(),
    });
  }

  /** Catches up at start, then wakes at each scheduled time (and at least once a minute). */
  readonly worker: Worker;

  /** Whatever is due now: the backfill summary, the period that just ended. */
  async tick(): Promise<HandledFailure | undefined> {
    try {
      if (this.kind === "daily") await this.backfillSummary();
      const now = this.o.clock.now();
      // Started by a clock that was ahead, since stepped back: the periods ending from now on
      // end while running, the ones whose digests that clock made too early included.
      if (now < this.startedAt) this.startedAt = now;
      this.setAsideFuture(now);
      await this.missedWhileDown(now);
      const { previous } = scheduledTimes(this.o.cron, this.o.timeZone, now);
      if (this.waiting !== undefined && this.waiting < previous)
        await this.scheduled(this.waiting, now);
      // A period that ended while running (catch-up covers the ones before start).
      if (previous >= this.startedAt && previous > this.passedInBackfill)
        await this.scheduled(previous, now);
      else if (this.waiting === previous) await this.scheduled(previous, now);
      if (this.failing !== undefined)
        this.o.logger.info(`the ${this.kind} digest can be prepared again`);
      this.failing = undefined;
      return undefined;
    } catch (error) {
      const { message, kind } = failureOf(error);
      // Ticked every minute: a failure that lasts (a full disk) is said once, with its stack.
      const again = this.failing === message;
      this.failing = message;
      const line = `the ${this.kind} digest could not be prepared: ${message}`;
      if (again) this.o.logger.debug(line);
      else this.o.logger.error({ err: error }, line);
      return { failed: message, ...(kind && { kind }) };
    }
  }

  /**
   * A digest of the last 24 hours up to now, on demand: recorded apart (kind `on-demand`), so
   * the schedule is not affected. Not while the first poll reads the history (see `scheduled`).
   */
  async now(): Promise<OnDemand> {
    const now = this.o.clock.now();
    if (this.o.stores.pollStates.backfilling(this.o.orgId)) return "backfilling";
    const made = await createDigest(this.o, "on-demand", now - DAY, now, { late: false }, now);
    return made ? "queued" : "exists";
  }

  /**
   * At start: the history's summary when it is owed (daily), then the last scheduled digest, if
   * missed since this organization was first polled. Until it is made (a full or read-only
   * database), each tick tries it again first.
   */
  async catchUp(): Promise<void> {
    const now = this.o.clock.now();
    const { previous, next } = scheduledTimes(this.o.cron, this.o.timeZone, now);
    // When the first one comes, in the zone it is scheduled in: the host's may differ.
    this.o.logger.info(
      { cron: this.o.cron, timeZone: this.o.timeZone, next: new Date(next).toISOString() },
      `the ${this.kind} digest is due next at ${wallTime(next, this.o.timeZone)} ${this.o.timeZone}`,
    );
    this.owed = previous;
    try {
      // The summary before the digest missed while down, which takes up from it (a history read
      // by `poll --once`, or a stop before the tick that makes the summary).
      if (this.kind === "daily") await this.backfillSummary();
      this.setAsideFuture(now);
      await this.missedWhileDown(now);
    } catch (error) {
      // The worker logs it; the ticks that fail the same way after it say it at debug.
      this.failing = failureOf(error).message;
      throw error;
    }
  }

  /** The catch-up's digest while owed (see `catchUp`); made once, `scheduled` checks the records. */
  private async missedWhileDown(now: number): Promise<void> {
    const end = this.owed;
    if (end === undefined) return;
    const firstStart = this.o.stores.pollStates.get(this.o.orgId)?.backfillUntil;
    if (firstStart !== null && firstStart !== undefined && end >= firstStart)
      await this.scheduled(end, now);
    this.owed = undefined;
  }

  /**
   * The digest of the period ending at the scheduled time `end`, from where the last one ended.
   * Not while the first poll still reads the history, nor later for a time that passed then: it
   * would say what is not read yet (no MCP activity at all, on the first morning); the history's
   * summary takes its place. Nor before a
   * poll begun after the period's end has read the log, for at most MAX_WAIT_MS: a call made a
   * minute before the end and stored by that poll would otherwise be in no digest.
   */
  private async scheduled(end: number, now: number): Promise<void> {
    const state = this.o.stores.pollStates.get(this.o.orgId);
    if (!state?.backfillDone) {
      if (end > this.passedInBackfill) notRead(this.o, this.kind, end, state, now);
      this.passedInBackfill = end;
      return;
    }
    // Due before the history was read, and found again by a process started since: the summary
    // has already reported those hours.
    const doneAt = this.o.stores.pollStates.backfillDoneAt(this.o.orgId);
    if (doneAt !== null && end < doneAt) return;
    const records = this.o.stores.digests;
    // Done, or covered by a later digest: a schedule moved later (DIGEST_CRON, DIGEST_TIMEZONE)
    // finds its time before one already posted, and nothing was missed.
    if (
      records.exists(this.o.orgId, this.kind, end) ||
      (records.newestEnd(this.o.orgId, this.kind, now) ?? end) > end
    ) {
      this.waiting = undefined;
      return;
    }
    const read = this.read.state(end, now);
    if (read === "wait") {
      this.waiting = end;
      return;
    }
    this.waiting = undefined;
    const last = this.o.stores.digests.lastEnd(this.o.orgId, this.kind, end);
    const since = scheduledPeriodStart(
      this.o.cron,
      this.o.timeZone,
      end,
      last,
      firstStartOf(this.o, this.kind),
    );
    // Late when the bot was down at its time, not for waiting for the poll.
    const late = this.startedAt - end > LATE_MS || now - end > LATE_MS + MAX_WAIT_MS;
    const notes = read === "read" ? { late } : { late, readTo: read.readTo };
    await createDigest(this.o, this.kind, since, end, notes, now);
  }

  /**
   * Digests of a period ending later than `now` (made by a clock that was ahead, at a start or
   * since NTP stepped it back) are kept apart, their messages not sent: each period's is made
   * when its time comes. One of a period that had ended stands.
   */
  private setAsideFuture(now: number): void {
    const ids = this.o.stores.transaction(() => {
      const aside = this.o.stores.digests.setAsideFuture(this.o.orgId, this.kind, now);
      for (const id of aside) this.o.unqueue?.(id, now);
      return aside;
    });
    if (ids.length > 0)
      this.o.logger.warn(
        { kind: this.kind, digests: ids },
        `${counted(ids.length, `${this.kind} digest`)} made by a clock that was ahead (later than now): each is made again when its time comes`,
      );
  }

  private async backfillSummary(): Promise<void> {
    const state = this.o.stores.pollStates.get(this.o.orgId);
    if (!state?.backfillDone || state.backfillFrom === null || state.backfillUntil === null) return;
    if (
      this.o.stores.digests.hasAny(this.o.orgId, "backfill") ||
      !summaryOwed(state.backfillFrom, state.backfillUntil)
    )
      return;
    // From the oldest call of the history when Atlassian dated some before its start.
    const stored = this.o.stores.digestFigures.history(this.o.orgId, state.backfillUntil);
    await createDigest(
      this.o,
      "backfill",
      Math.min(state.backfillFrom, stored?.since ?? state.backfillFrom),
      state.backfillUntil,
      { late: false },
      this.o.clock.now(),
    );
  }
}

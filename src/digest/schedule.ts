import { CronExpressionParser } from "cron-parser";
import type { Clock } from "../clock.js";
import { DAY } from "../time-units.js";
import { type HandledFailure, Loop, type Worker } from "../workers/worker.js";
import { type ComposeDeps, createDigest } from "./compose.js";

/** Later than this after its time, a digest says it is late. */
const LATE_MS = 5 * 60_000;
/** The loop wakes at least this often, to post the backfill summary once the backfill ends. */
const TICK_MS = 60_000;

/** The scheduled times around `now` for a cron expression in a time zone. */
export function scheduledTimes(
  cron: string,
  timeZone: string,
  now: number,
): { previous: number; next: number } {
  const parse = () =>
    CronExpressionParser.parse(cron, { tz: timeZone, currentDate: new Date(now) });
  return { previous: parse().prev().getTime(), next: parse().next().getTime() };
}

export interface ScheduleOptions extends ComposeDeps {
  readonly clock: Clock;
  readonly cron: string;
}

/**
 * Creates each day's digest at DIGEST_CRON in DIGEST_TIMEZONE (the last 24 hours up to then),
 * once per period whatever restarts happen; on start, the one digest missed while the process was
 * down (marked late, never a flood); and once, after the first start's backfill, its summary.
 * The notifier posts what is created.
 */
export class DigestScheduler {
  private readonly startedAt: number;

  constructor(private readonly o: ScheduleOptions) {
    this.startedAt = o.clock.now();

    this.worker = new Loop({
      name: "digest",
      orgId: this.o.orgId,
      clock: this.o.clock,
      logger: this.o.logger,
      failure: "the digest could not be prepared",
      before: () => this.catchUp(),
      waitFirst: true,
      every: (now) => {
        const { next } = scheduledTimes(this.o.cron, this.o.timeZone, now);
        return Math.min(TICK_MS, Math.max(0, next - now));
      },
      pass: () => this.tick(),
    });
  }

  /** Catches up at start, then wakes at each scheduled time (and at least once a minute). */
  readonly worker: Worker;

  /** Whatever is due now: the backfill summary, the period that just ended. */
  async tick(): Promise<HandledFailure | undefined> {
    try {
      await this.backfillSummary();
      const now = this.o.clock.now();
      const { previous } = scheduledTimes(this.o.cron, this.o.timeZone, now);
      // A period that ended while running (catch-up covers the ones before start).
      if (previous >= this.startedAt)
        await createDigest(
          this.o,
          "daily",
          previous - DAY,
          previous,
          now - previous > LATE_MS,
          now,
        );
      return undefined;
    } catch (error) {
      const message = (error as Error).message;
      this.o.logger.error({ err: error }, `the digest could not be prepared: ${message}`);
      return { failed: message };
    }
  }

  /** A digest of the last 24 hours up to now, on demand (the schedule is not affected). */
  async now(): Promise<boolean> {
    const now = this.o.clock.now();
    return createDigest(this.o, "daily", now - DAY, now, false, now);
  }

  /** At start: the last scheduled digest, if it was missed since this organization was first polled. */
  async catchUp(): Promise<void> {
    const now = this.o.clock.now();
    const { previous } = scheduledTimes(this.o.cron, this.o.timeZone, now);
    const firstStart = this.o.stores.pollStates.get(this.o.orgId)?.backfillUntil;
    if (firstStart === null || firstStart === undefined || previous < firstStart) return;
    await createDigest(this.o, "daily", previous - DAY, previous, now - previous > LATE_MS, now);
  }

  private async backfillSummary(): Promise<void> {
    const state = this.o.stores.pollStates.get(this.o.orgId);
    if (!state?.backfillDone || state.backfillFrom === null || state.backfillUntil === null) return;
    if (
      this.o.stores.digests.hasAny(this.o.orgId, "backfill") ||
      state.backfillUntil - state.backfillFrom <= 0
    )
      return;
    await createDigest(
      this.o,
      "backfill",
      state.backfillFrom,
      state.backfillUntil,
      false,
      this.o.clock.now(),
    );
  }
}

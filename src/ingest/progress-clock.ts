import { AheadOfClock } from "./ahead-of-clock.js";

/**
 * When the poller last got on (started, stored a batch, finished a poll), read by a clock that
 * may be stepped back (NTP): a time "later" than now is read as AheadOfClock does, and a poller
 * failing from then on still goes stale.
 */
export class ProgressClock {
  private readonly startedAt: number;
  private success: number | null = null;
  private progress: number | null = null;
  /** The newest of the times, read where the clock may have stepped back since. */
  private readonly steppedBack = new AheadOfClock();

  constructor(now: number) {
    this.startedAt = now;
  }

  /** When the last poll that read to the end finished; null before one. */
  get lastSuccessAt(): number | null {
    return this.success;
  }

  succeeded(now: number): void {
    this.success = now;
  }

  progressed(now: number): void {
    this.progress = now;
  }

  /**
   * When it last got on as of `now` (`monotonic` read with it, see monotonicNow), and whether
   * that is `staleMs` ago or more.
   */
  latest(now: number, monotonic: number, staleMs: number): { at: number; stale: boolean } {
    const times = [this.success ?? 0, this.progress ?? 0, this.startedAt];
    const at = Math.max(
      ...times.filter((t) => t <= now),
      this.steppedBack.at(Math.max(...times), now, monotonic),
    );
    return { at, stale: now - at >= staleMs };
  }
}

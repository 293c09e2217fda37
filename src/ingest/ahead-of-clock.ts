/**
 * A time read by a clock that may have been stepped back since (NTP correcting a clock that ran
 * ahead), so that what is measured from it (staleness, the lag) still grows while it is "later"
 * than now: seen before the step, it is as long ago as it was then plus the time run since (by
 * the monotonic clock); seen only after (a restart), it counts as when it was first seen ahead.
 */
export class AheadOfClock {
  /** The time when last seen not ahead of the clock, with that clock's readings then. */
  private behind: { time: number; now: number; monotonic: number } | undefined;
  private seen: { time: number; at: number } | undefined;

  /** Keeps `time` as the clock reads it now (`monotonic` read with `now`, see monotonicNow). */
  note(time: number, now: number, monotonic: number): void {
    if (time <= now) this.behind = { time, now, monotonic };
  }

  /** `time` on the clock as it reads `now` (`monotonic` read with it). */
  at(time: number, now: number, monotonic: number): number {
    this.note(time, now, monotonic);
    if (time <= now) return time;
    if (this.behind?.time === time)
      return now - (this.behind.now - time) - (monotonic - this.behind.monotonic);
    if (this.seen?.time !== time) this.seen = { time, at: now };
    return this.seen.at;
  }
}

/**
 * When the poller last got on (started, stored a batch, finished a poll), read by a clock that
 * may be stepped back (NTP): a time "later" than now counts from when it was first seen so, and a
 * poller failing from then on still goes stale.
 */
export class ProgressClock {
  private readonly startedAt: number;
  private success: number | null = null;
  private progress: number | null = null;
  /** The newest time seen "after now" (the clock stepped back), and when it was seen. */
  private steppedBack: { ahead: number; seen: number } | undefined;

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

  /** When it last got on as of `now`, and whether that is `staleMs` ago or more. */
  latest(now: number, staleMs: number): { at: number; stale: boolean } {
    const times = [this.success ?? 0, this.progress ?? 0, this.startedAt];
    const ahead = Math.max(...times);
    if (ahead > now && this.steppedBack?.ahead !== ahead) this.steppedBack = { ahead, seen: now };
    const at = Math.max(
      ...times.filter((t) => t <= now),
      ahead > now ? (this.steppedBack?.seen ?? now) : 0,
    );
    return { at, stale: now - at >= staleMs };
  }
}

/**
 * Atlassian's clock as its answers tell it: the `Date` header of the latest successful answer
 * against this machine's clock when it came. The history of the first start ends at Atlassian's time, since
 * it is Atlassian's `processedAt` that is compared with it.
 */
export class ServerClock {
  private ahead: number | undefined;

  /** An answer came at `now` (this machine's clock) with this `Date` header, if any. */
  answered(date: string | null, now: number): void {
    const at = date === null ? Number.NaN : Date.parse(date);
    // The header is to the second, written before the answer came: the end of that second, so
    // that what Atlassian had processed when it answered falls before it.
    if (!Number.isNaN(at)) this.ahead = at + 1_000 - now;
  }

  /**
   * How far Atlassian's clock is ahead of this machine's (negative: behind); undefined before an
   * answer with a date.
   */
  get aheadMs(): number | undefined {
    return this.ahead;
  }
}

/** The first window of a question is this part of its time. */
const FIRST_PART = 64;
/**
 * A window is never narrower than this part of the question's time, however slowly the windows
 * read (a loaded machine, a fixed cost per statement): a question is never more windows than this.
 */
export const MOST_WINDOWS = 1024;
/** A window is at most this many times wider, or narrower, than the one before. */
const MOST_GROWTH = 8;
const MOST_SHRINK = 4;

/**
 * Cuts a question's time, [since, until), into consecutive windows, oldest or newest first, each
 * sized from how long the one before took to read so that it takes about `targetMs`: a narrow
 * question is read in a few windows, a wide one in many, and the event loop can be let go between
 * two.
 */
export class Windows {
  /** Where the next window starts (oldest first) or ends (newest first). */
  private edge: number;
  private width: number;
  private readonly narrowest: number;

  constructor(
    private readonly since: number,
    private readonly until: number,
    private readonly targetMs: number,
    private readonly order: "oldest first" | "newest first" = "oldest first",
  ) {
    this.edge = order === "oldest first" ? since : until;
    this.width = Math.max(1, Math.ceil((until - since) / FIRST_PART));
    this.narrowest = Math.max(1, Math.ceil((until - since) / MOST_WINDOWS));
  }

  /** The next window, [from, to), or undefined once the whole time is covered. */
  next(): [number, number] | undefined {
    if (this.order === "oldest first") {
      if (this.edge >= this.until) return undefined;
      const window: [number, number] = [this.edge, Math.min(this.until, this.edge + this.width)];
      this.edge = window[1];
      return window;
    }
    if (this.edge <= this.since) return undefined;
    const window: [number, number] = [Math.max(this.since, this.edge - this.width), this.edge];
    this.edge = window[0];
    return window;
  }

  /** How long the last window took to read: the next one is sized from it. */
  took(ms: number): void {
    const factor = ms <= 0 ? MOST_GROWTH : this.targetMs / ms;
    const bounded = Math.min(MOST_GROWTH, Math.max(1 / MOST_SHRINK, factor));
    this.width = Math.max(this.narrowest, Math.round(this.width * bounded));
  }
}

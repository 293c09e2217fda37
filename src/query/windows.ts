/**
 * The first window is this part of the question's time, and none is narrower however slowly the
 * windows read (a loaded machine, a fixed cost per statement): a question is never more windows.
 * Starting this narrow, a question whose calls crowd into a few minutes (a burst, the live end of
 * a busy hour) does not read them all in its first window.
 */
export const MOST_WINDOWS = 1024;
/** A window is at most this many times wider, or narrower, than the one before. */
const MOST_GROWTH = 2;
const MOST_SHRINK = 4;

/**
 * Cuts a question's time, [since, until), into consecutive windows, newest first (where a live
 * organization's calls are the densest; an export reads oldest first), each sized from how long
 * the one before took to read so that it takes about `targetMs`: a narrow question is read in a
 * few windows, a wide one in many, and the event loop can be let go between two.
 */
export class Windows {
  /** Where the next window ends (newest first) or begins (oldest first). */
  private edge: number;
  private readonly narrowest: number;
  private width: number;

  constructor(
    private readonly since: number,
    private readonly until: number,
    private readonly targetMs: number,
    private readonly order: "newest-first" | "oldest-first" = "newest-first",
  ) {
    this.edge = order === "newest-first" ? until : since;
    this.narrowest = Math.max(1, Math.ceil((until - since) / MOST_WINDOWS));
    this.width = this.narrowest;
  }

  /** The next window, [from, to), or undefined once the whole time is covered. */
  next(): [number, number] | undefined {
    if (this.order === "oldest-first") {
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

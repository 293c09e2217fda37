import type { Logger } from "../logger.js";

/** A call is in the audit log this soon after it is made, for a poll begun after then to read. */
const SETTLE_MS = 30_000;
/** The longest a period waits for that poll: then it is made with what is stored. */
export const MAX_WAIT_MS = 15 * 60_000;
/** The loops that wait wake at least this often: found due within it, a period is on time. */
const ON_TIME_MS = 60_000;

export interface ReadThroughOptions {
  /**
   * When the audit log is known read: the start of the last poll that read it to its end (the
   * poller's `readThrough`). Without it, nothing waits.
   */
  readonly readThrough?: () => number | null;
  /** Asks for a poll now: what waits for one does not wait for the poll interval (maybe hours). */
  readonly pollSoon?: () => void;
  /** How far the polls before this start read (the newest processing time), if at all. */
  readonly readBefore: () => number | null;
  readonly logger: Logger;
  /** Said at warn when a period is made without the poll: what is made short, and what that costs. */
  readonly short: (end: number) => string;
}

/**
 * What is made of a period ending at `end` (a digest, the weekly check) waits for a poll begun
 * after it, for at most MAX_WAIT_MS: a call made a minute before the end and stored by that poll
 * would otherwise be in no period's figures.
 */
export class ReadThroughWait {
  /** The period's end a poll was asked for. */
  private pollAskedFor: number | undefined;
  /** When a period was first found due and waiting: its 15 minutes count from then. */
  private dueSeen: { end: number; at: number } | undefined;

  constructor(private readonly o: ReadThroughOptions) {}

  /**
   * Whether the period ending at `end` still waits, is read, or is made short of it: how far the
   * log was read then (null: not at all that is known).
   */
  state(end: number, now: number): "wait" | "read" | { readTo: number | null } {
    if (!this.o.readThrough) return "read";
    const read = this.o.readThrough();
    if (read !== null && read >= end + SETTLE_MS) return "read";
    // Counted from when it was first found due, unless on time: after a night down, the first
    // poll reads the night first; after the process was suspended across its time, a poll is
    // asked for first.
    if (this.dueSeen?.end !== end) this.dueSeen = { end, at: now };
    const deadline = (this.dueSeen.at - end <= ON_TIME_MS ? end : this.dueSeen.at) + MAX_WAIT_MS;
    if (now < deadline) {
      // Once a poll begun now would do, one is asked for.
      if (now >= end + SETTLE_MS && this.pollAskedFor !== end) {
        this.pollAskedFor = end;
        this.o.pollSoon?.();
      }
      return "wait";
    }
    this.o.logger.warn({ end: new Date(end).toISOString() }, this.o.short(end));
    // Not read since this start: as far as the polls before it read.
    return { readTo: read ?? this.o.readBefore() };
  }
}

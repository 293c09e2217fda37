import type { Logger } from "../logger.js";
import { isoOrNull } from "../time-units.js";
import { counted } from "../words.js";

/** Events between two progress lines of a backfill. */
const PROGRESS_EVERY = 5_000;

/** A backfill's progress lines: one each PROGRESS_EVERY events a poll stores, one at its end. */
export class BackfillProgress {
  private next = PROGRESS_EVERY;

  /** `stored`: the organization's events stored, a backfill a restart cut short included. */
  constructor(
    private readonly log: Logger,
    private readonly stored: () => number,
  ) {}

  /** After a commit: `added` events stored by this poll so far, up to processing time `reached`. */
  committed(added: number, reached: number | null): void {
    if (added < this.next) return;
    this.next += PROGRESS_EVERY;
    const stored = this.stored();
    this.log.info(
      { stored, reached: isoOrNull(reached) },
      `backfill: ${counted(stored, "event")} stored so far`,
    );
  }

  done(quarantined: number): void {
    const stored = this.stored();
    this.log.info({ stored, quarantined }, `backfill done: ${counted(stored, "event")} stored`);
  }
}

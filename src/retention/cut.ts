import { MAX_BACKFILL_DAYS } from "../ingest/poll-position.js";
import { DAY } from "../time-units.js";

/** How far an organization's audit log has been read and judged (see retentionCut). */
export interface Reached {
  /**
   * When the last poll that read it to its end began, by this process or one before it
   * (PollStateStore.readThroughAt); null: none is known.
   */
  readonly readThrough: number | null;
  /**
   * The newest processing time stored: how far the polls read, if at all, also those that stopped
   * short of the end (at their most pages, on cursors in a cycle) and moved no `readThrough`.
   */
  readonly readBefore: number | null;
  /** When the oldest stored call its rules have not judged yet was processed, if there is one. */
  readonly unjudged: number | undefined;
}

/**
 * The time before which retention deletes an organization's events: RETENTION_DAYS before now,
 * or, for one polled (`reached`), RETENTION_DAYS before what its rules still have to judge when
 * that is earlier. The calls a catch-up reads after an outage (the key refused, the bot stopped,
 * the organization left out of ATLASSIAN_ORG_ID) are judged against the history a bot running
 * then would have had: a person or a tool in use before the outage is not new after it. Never
 * further back than the audit log keeps: older calls cannot be read any more.
 */
export function retentionCut(now: number, retentionDays: number, reached?: Reached): number {
  const kept = retentionDays * DAY;
  if (reached === undefined) return now - kept;
  const reads = [reached.readThrough, reached.readBefore].filter((t) => t !== null);
  const read = reads.length > 0 ? Math.max(...reads) : now;
  const judged = Math.min(now, read, reached.unjudged ?? now);
  return Math.max(judged, now - MAX_BACKFILL_DAYS * DAY) - kept;
}

import type { StreamRequest } from "../atlassian/client.js";
import { AtlassianError } from "../atlassian/errors.js";
import type { Logger } from "../logger.js";
import type { PollState } from "../store/poll-state.js";
import { DAY, HOUR } from "../time-units.js";
import { offset, oldestFrom } from "./poll-position.js";

/** How far the first read by time refused as reaching past what the log keeps moves its `from` on. */
const FIRST_STEP_MS = HOUR;

/** Said when a read by time from the oldest the log keeps is refused, and asked again later. */
export const OLDEST_REFUSED =
  "the audit log refused a read from the oldest time it keeps (400 ADMIN-400-3)";

/**
 * The read by time to ask instead of `request`, refused with 400 ADMIN-400-3 (a date the log does
 * not take), when its `from` is less than a day past the oldest the log keeps at `now` (Atlassian's
 * clock, see thereNow): that clock was off more than taken, or the log counts its 180 days
 * otherwise. `stepMs` later, at most a day past the oldest; undefined for any other refusal, which
 * is not read past.
 */
export function pastRefusedOldest(
  error: unknown,
  request: StreamRequest,
  now: number,
  stepMs = FIRST_STEP_MS,
): StreamRequest | undefined {
  if (!(error instanceof AtlassianError) || error.kind !== "bad-request") return undefined;
  if (error.status !== 400 || error.apiCode !== "ADMIN-400-3") return undefined;
  if (request.cursor || request.from === undefined) return undefined;
  const last = oldestFrom(now) + DAY;
  if (request.from >= last) return undefined;
  return { ...request, from: Math.min(request.from + stepMs, last) };
}

/**
 * One poll's reads by time refused as reaching past what the log keeps: each asked again later,
 * by a step that doubles (an hour, then two, four, …), until one is read or a day past the oldest
 * is refused too.
 */
export class OldestRefused {
  private stepMs = FIRST_STEP_MS;
  /** Where the first read refused began: what is left out is counted from it. */
  private first: number | undefined;

  constructor(private readonly log: Logger) {}

  /** The request to ask instead (see pastRefusedOldest), said at warn; undefined when none. */
  later(error: unknown, request: StreamRequest | undefined, now: number) {
    const later = request ? pastRefusedOldest(error, request, now, this.stepMs) : undefined;
    if (!later || later.from === undefined || request?.from === undefined) return undefined;
    this.stepMs *= 2;
    this.first ??= request.from;
    const skippedMs = later.from - this.first;
    this.log.warn(
      { from: new Date(later.from).toISOString(), skippedMs },
      `${OLDEST_REFUSED}: asking again from ${offset(later.from - request.from)} later, leaving out the oldest ${offset(skippedMs)} of the history asked; check this machine's clock (NTP)`,
    );
    return later;
  }
}

/**
 * The poll state of a backfill that has stored nothing yet, its start refused as older than the
 * log keeps and moved on to `from`: kept, so the next poll, or a restart, does not ask from the
 * refused start again. Undefined when reads do not start from it or it moved no further.
 */
export function startMoved(state: PollState, from: number | undefined): PollState | undefined {
  const { backfillFrom, lastProcessedAt, cursor } = state;
  if (from === undefined || lastProcessedAt !== null || cursor !== null) return undefined;
  if (backfillFrom !== null && backfillFrom >= from) return undefined;
  return { ...state, backfillFrom: from };
}

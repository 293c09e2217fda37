import type { StreamRequest } from "../atlassian/client.js";
import { AUDIT_LOG_DAYS } from "../domain/plausible-time.js";
import type { Logger } from "../logger.js";
import type { LatenessStore } from "../store/lateness.js";
import type { PollState } from "../store/poll-state.js";
import { DAY, HOUR, MINUTE } from "../time-units.js";
import { counted } from "../words.js";
import type { AheadOfClock } from "./ahead-of-clock.js";

/** The audit log keeps 180 days; asking for more is refused. */
export const MAX_BACKFILL_DAYS = AUDIT_LOG_DAYS;

/** How far before the last processed time a time-based read starts (duplicates are skipped). */
const OVERLAP_MS = 10 * MINUTE;

/**
 * The most a read by time that replaces a lost cursor reaches back for late events. Should `from`
 * filter on the events' time (docs/architecture.md, "What `from` filters on"), a read by time
 * leaves out what happened before its `from` and was processed after: such a read starts as far
 * before the last event as the organization's events have come late. Every hour of that is read
 * again, hence a bound: one event whose time is days off (a clock set wrong) would otherwise make
 * each such read re-read days of the log.
 */
const MAX_LATENESS_MS = 2 * DAY;

/** How many of the last events stored tell how late the organization's events come. */
export const LATENESS_SAMPLE = 10_000;

/**
 * The overlap of a read by time that replaces a lost cursor: ten minutes, or the longest
 * processedAt − time among the last events stored (`longestLateMs`), at most MAX_LATENESS_MS.
 */
export function resumeOverlap(longestLateMs: number | null): number {
  return Math.min(MAX_LATENESS_MS, Math.max(OVERLAP_MS, longestLateMs ?? 0));
}

/**
 * The overlap of a poll's read by time with no cursor to ask (see resumeOverlap): as long as the
 * stored events have come late. Undefined (ten minutes) with a cursor to ask, and after cursors
 * in a cycle (`afterCycle`), where reading from further back would go round the same cycle again.
 */
export function overlapAfter(
  state: PollState,
  afterCycle: boolean,
  lateness: Pick<LatenessStore, "longest">,
): number | undefined {
  if (state.cursor !== null || state.lastProcessedAt === null || afterCycle) return undefined;
  return resumeOverlap(lateness.longest(state.orgId, LATENESS_SAMPLE));
}

export interface PositionOptions {
  readonly pageLimit: number;
}

/**
 * The oldest `from` asked: the audit log refuses one more than 180 days back, and a backfill's
 * start ages while it is retried (five minutes spare for the request's way there). Counted from
 * now by Atlassian's clock (see thereNow): the functions here take `now` by it.
 */
const OLDEST_MS = MAX_BACKFILL_DAYS * DAY - 5 * MINUTE;

/** The oldest `from` asked at `now` (see OLDEST_MS): it moves on with the clock. */
export function oldestFrom(now: number): number {
  return now - OLDEST_MS;
}

/**
 * The page to ask for next: by cursor, else by time from the last event less the overlap (ten
 * minutes unless told; see resumeOverlap).
 */
export function nextRequest(
  state: PollState,
  o: PositionOptions,
  now: number,
  overlapMs = OVERLAP_MS,
): StreamRequest {
  if (state.cursor) return { cursor: state.cursor, limit: o.pageLimit };
  // Never from ahead of now: a poll state written before processedAt was bounded may be.
  const from =
    state.lastProcessedAt !== null
      ? Math.min(state.lastProcessedAt, now) - overlapMs
      : (state.backfillFrom ?? now);
  return { from: Math.max(from, oldestFrom(now)), limit: o.pageLimit };
}

/**
 * After a full page that named no next cursor: the page to read on from, by time from its last
 * event less the overlap; from that event itself when the overlap would ask again from where the
 * last read by time began (more than a page in ten minutes); undefined when even that does not
 * move on (a page's worth of events processed in one millisecond, or none readable).
 */
export function readOnByTime(
  state: PollState,
  lastFrom: number | undefined,
  o: PositionOptions,
  now: number,
): StreamRequest | undefined {
  const request = nextRequest({ ...state, cursor: null }, o, now);
  const after = lastFrom ?? Number.NEGATIVE_INFINITY;
  if (request.from !== undefined && request.from > after) return request;
  const newest = state.lastProcessedAt === null ? null : Math.min(state.lastProcessedAt, now);
  return newest !== null && newest > after ? { from: newest, limit: o.pageLimit } : undefined;
}

/**
 * How far behind the audit log the store is: seconds since the last event processed, as the poll
 * state keeps it (a processedAt ahead of the clock counts as when it was stored); null before any.
 * One still ahead of `now` (the clock stepped back since) is read through `ahead` (AheadOfClock).
 */
export function lagSeconds(
  state: PollState | undefined,
  now: number,
  ahead?: { clock: AheadOfClock; monotonic: number },
): number | null {
  const newest = state?.lastProcessedAt ?? null;
  if (newest === null) return null;
  const at = ahead ? ahead.clock.at(newest, now, ahead.monotonic) : newest;
  return Math.max(0, Math.round((now - at) / 1000));
}

/** Closer than this, the clocks are taken to agree: a Date header is to the second, and comes late. */
const SAME_TIME_MS = 2_000;
/** Further than this, a Date header is not taken as Atlassian's clock (see atlassianNow). */
const MAX_SKEW_MS = DAY;

/** A clock's offset in words: "40 s", "3 min", "5 h", "30 days". */
export function offset(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 2 * MINUTE) return `${Math.round(abs / 1000)} s`;
  if (abs < 2 * HOUR) return `${Math.round(abs / MINUTE)} min`;
  if (abs < 2 * DAY) return `${Math.round(abs / HOUR)} h`;
  return `${Math.round(abs / DAY)} days`;
}

/**
 * Now by Atlassian's clock: this machine's, moved by how far the Date header of Atlassian's
 * answers says Atlassian's is ahead (`aheadMs`; unknown before any answer, then this machine's).
 * An offset of days is no clock's drift but a date given by something between, or a clock set
 * wrong: this machine's clock is kept. Where the 180 days the audit log keeps are counted from
 * (this machine's clock minutes behind would ask for minutes more).
 */
export function thereNow(now: number, aheadMs: number | undefined): number {
  if (aheadMs === undefined || Math.abs(aheadMs) < SAME_TIME_MS) return now;
  return Math.abs(aheadMs) > MAX_SKEW_MS ? now : now + aheadMs;
}

/**
 * thereNow, said: where the first start's history ends. It is compared with Atlassian's
 * processedAt, so a clock off here by minutes would make minutes of history live (alerts about
 * the past) or of live events history (never judged).
 */
export function atlassianNow(now: number, aheadMs: number | undefined, log: Logger): number {
  const there = thereNow(now, aheadMs);
  if (aheadMs === undefined || Math.abs(aheadMs) < SAME_TIME_MS) return there;
  const side = aheadMs > 0 ? "ahead of" : "behind";
  if (there === now)
    log.warn(
      { aheadMs },
      `Atlassian's answers are dated ${offset(aheadMs)} ${side} this machine's clock, too far for a clock's drift: the first start's history ends at this machine's time; check this machine's clock (NTP) and any proxy between it and Atlassian`,
    );
  else
    log.info(
      { aheadMs },
      `Atlassian's clock is ${offset(aheadMs)} ${side} this machine's (the Date of its answers): the first start's history ends at Atlassian's time`,
    );
  return there;
}

/**
 * Where an organization's first poll starts: `backfillDays` back, at most what the log keeps, from
 * `now` by Atlassian's clock (see atlassianNow).
 */
export function firstState(
  orgId: string,
  backfillDays: number,
  now: number,
  log: Logger,
): PollState {
  let days = backfillDays;
  if (days > MAX_BACKFILL_DAYS) {
    log.warn(
      { requested: days },
      `BACKFILL_DAYS=${days} is more than the audit log keeps: backfilling ${MAX_BACKFILL_DAYS} days`,
    );
    days = MAX_BACKFILL_DAYS;
  }
  const state: PollState = {
    orgId,
    cursor: null,
    lastProcessedAt: null,
    backfillFrom: now - days * DAY,
    backfillUntil: now,
    backfillDone: false,
  };
  log.info(
    { days, from: new Date(state.backfillFrom ?? now).toISOString() },
    `first start: backfilling ${counted(days, "day")} of history`,
  );
  return state;
}

/**
 * A backfill that has stored nothing yet, started further back than `backfillDays` (lowered
 * since, perhaps because the log refused the start): the state starting it `backfillDays` before
 * its end, said; undefined when it starts no further back, or has stored events or a cursor (it
 * goes on from them).
 */
export function startLowered(
  state: PollState,
  backfillDays: number,
  log: Logger,
): PollState | undefined {
  const { backfillDone, lastProcessedAt, cursor, backfillFrom, backfillUntil } = state;
  if (backfillDone || lastProcessedAt !== null || cursor !== null || backfillUntil === null) {
    return undefined;
  }
  const from = backfillUntil - Math.min(backfillDays, MAX_BACKFILL_DAYS) * DAY;
  if (backfillFrom !== null && backfillFrom >= from) return undefined;
  const at = (t: number | null) => (t === null ? null : new Date(t).toISOString());
  log.info(
    { from: at(from), was: at(backfillFrom) },
    `BACKFILL_DAYS=${backfillDays} starts the backfill not read yet later: ${counted(backfillDays, "day")} before the first start`,
  );
  return { ...state, backfillFrom: from };
}

/**
 * The stream refused our cursor: read again by time from before where we were, by `overlapMs`
 * (see resumeOverlap).
 */
export function timeBased(
  state: PollState,
  now: number,
  log: Logger,
  overlapMs = OVERLAP_MS,
): PollState {
  const from = Math.min(state.lastProcessedAt ?? state.backfillFrom ?? now, now) - overlapMs;
  log.warn(
    { from: new Date(from).toISOString() },
    "the stream cursor was refused; reading again by time from before the last event",
  );
  return { ...state, cursor: null, lastProcessedAt: state.lastProcessedAt };
}

/**
 * How long after processing an event the stream may first show it: events processed this little
 * before a poll began may not have been there for the cursors to read.
 */
const SHOWN_LATE_MS = 30 * 1000;

/**
 * When a poll began by Atlassian's clock (the Date of its answers, see atlassianNow), less
 * SHOWN_LATE_MS: an event a read by time stores that was processed before it was there for the
 * cursors to read. Compared with Atlassian's processedAt, so this machine's clock being seconds
 * off does not count the events processed while the poll runs as missed.
 */
export function beganThere(began: number, aheadMs: number | undefined): number {
  const ahead = aheadMs !== undefined && Math.abs(aheadMs) <= MAX_SKEW_MS ? aheadMs : 0;
  return began + ahead - SHOWN_LATE_MS;
}

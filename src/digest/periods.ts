import { DAY, HOUR } from "../time-units.js";
import { cronTimes } from "./cron-times.js";

/**
 * The periods digests cover, pure: each scheduled digest covers the time since the one before it
 * (a Monday digest of a Monday–Friday cron covers the weekend), and after the bot was down, the
 * one late digest starts where the last recorded one ended. No gap, no overlap.
 */

const WEEK = 7 * DAY;

/** The cron's times strictly before and strictly after `now`, in the time zone (DST included). */
export function scheduledTimes(
  cron: string,
  timeZone: string,
  now: number,
): { previous: number; next: number } {
  const upcoming = cronTimes(cron, timeZone, now);
  const next = upcoming();
  // The time before is found going forwards: cron-parser's prev() is not the inverse of next()
  // around a time the clocks skip (it passes over that day, or throws "loop limit exceeded").
  const gap = upcoming() - next;
  for (let back = Math.max(HOUR, 2 * gap); back <= MAX_LOOKBACK; back *= 2) {
    const times = cronTimes(cron, timeZone, now - back);
    let previous: number | undefined;
    for (let at = times(); at < now; at = times()) previous = at;
    if (previous !== undefined) return { previous, next };
  }
  throw new Error(`the schedule "${cron}" has no time in the ${MAX_LOOKBACK / YEAR} years before`);
}

const YEAR = 365 * DAY;
/** How far back a time before is looked for: a cron of 29 February has one every 4 to 8 years. */
const MAX_LOOKBACK = 16 * YEAR;

/**
 * Where the period ending at `end` starts: where the newest digest of its kind recorded before
 * `end` ended (`lastEnd`), else at the cron's time before `end`.
 */
export function periodStart(
  cron: string,
  timeZone: string,
  end: number,
  lastEnd: number | undefined,
): number {
  return lastEnd !== undefined && lastEnd < end
    ? lastEnd
    : scheduledTimes(cron, timeZone, end).previous;
}

/** The first start, as the period of the first scheduled digest after it needs it. */
export interface FirstStart {
  /** When the history fetched on first start ends: the first start (null before one). */
  readonly at: number | null;
  /** When that history was read to its end (null while it is read). */
  readonly readAt: number | null;
  /** Whether the digest takes up from that history's summary, and one is owed (`summaryOwed`). */
  readonly afterSummary: boolean;
}

/** Whether the history fetched on first start gets a summary: it spans time (BACKFILL_DAYS > 0). */
export const summaryOwed = (from: number | null, until: number | null): boolean =>
  from !== null && until !== null && until - from > 0;

/**
 * Where the scheduled digest of the period ending at `end` starts: as `periodStart` says, except
 * for the first of its kind whose usual period starts before the history was read. That one
 * starts at the first start, where the summary ends: when the first start came before its usual
 * start (the digests due while the history was read are not made), so that no time falls between
 * the two; and, for a digest that takes up from the summary, when it came after it (a first start
 * later in the day than the digest's time), so that no time is reported twice. A period ending
 * before the history was read (the bot makes no digest of it; `digest --dry-run --date` shows it)
 * keeps its usual start.
 */
export function scheduledPeriodStart(
  cron: string,
  timeZone: string,
  end: number,
  lastEnd: number | undefined,
  first: FirstStart,
): number {
  const since = periodStart(cron, timeZone, end, lastEnd);
  const { at, readAt } = first;
  const firstOfKind = lastEnd === undefined && at !== null && readAt !== null;
  if (!firstOfKind || end < readAt || at >= end || since >= readAt) return since;
  return at < since || (at > since && first.afterSummary) ? at : since;
}

/**
 * Where the span a period is compared with starts (it is as long as the period): the span just
 * before for a day or less, and for a longer period not a whole week, the same span a week
 * earlier, so a weekend is compared with a weekend and not with the working days before it.
 */
export function comparedSince(since: number, until: number): number {
  const span = until - since;
  return span > DAY + HOUR && span < WEEK ? since - WEEK : since - span;
}

const WIDTHS = [1, 2, 3, 6, 12, 24].map((hours) => hours * HOUR);
/** Bars in a chart at most: an hour each up to 30 hours (a day, and a day the clocks go back). */
const MAX_BUCKETS = 30;

/**
 * The width of a chart bucket for a period: an hour up to 30 hours, then 2, 3 (a weekend: 24
 * bars), 6 (a week: 28 bars) or 12 hours, then whole days.
 */
export function bucketWidth(since: number, until: number): number {
  const span = until - since;
  const width = WIDTHS.find((w) => span / w <= MAX_BUCKETS);
  return width ?? Math.ceil(span / MAX_BUCKETS / DAY) * DAY;
}

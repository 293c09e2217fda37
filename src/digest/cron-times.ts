import { CronExpressionParser } from "cron-parser";
import { DAY, HOUR } from "../time-units.js";
import { offsetAt } from "../time-zone.js";

/**
 * A cron's times in a time zone, in order. cron-parser's own walk in a zone with changes of the
 * clocks loses days: it passes over a midnight the clocks repeat (Atlantic/Azores in October),
 * a day whose change crosses midnight (America/Nuuk in March) or falls on the cron's time
 * (Australia/Lord_Howe's 02:00 in October), and loops out ("loop limit exceeded") across a change
 * of half an hour. So each stretch of one offset is read by cron-parser in a zone of that fixed
 * offset, where the clocks never change, and the changes are dealt with here:
 * - a time the clocks skip comes as much later as they jump (02:30 → 03:30), that day only;
 * - a time the clocks repeat is its first reading.
 */

/** Longer than any change of the clocks (Antarctica/Troll's two hours). */
const LONGEST_CHANGE = 3 * HOUR;

/** The next time of `cron` in `zone` after `from` each call. */
export function cronTimes(cron: string, zone: string, from: number): () => number {
  let last = from;
  return () => {
    last = timeAfter(cron, zone, last);
    return last;
  };
}

/** The first time of `cron` in `zone` strictly after `after`. */
function timeAfter(cron: string, zone: string, after: number): number {
  for (;;) {
    const offset = offsetAt(after + 1, zone);
    let next = firstAfter(cron, offset, after);
    // A change of the clocks just before: the times it skipped still to come, or those it repeats.
    const recent = changeBetween(zone, after + 1 - LONGEST_CHANGE, after + 1);
    if (recent !== undefined) {
      const jump = offset - recent.before;
      if (jump > 0) {
        // A wall time the clocks skipped, read in the offset before: as much later as they jump.
        const skipped = firstAfter(cron, recent.before, after);
        if (skipped < recent.at + jump) next = Math.min(next, skipped);
      } else if (next < recent.at - jump) {
        // A wall time read a second time: its first reading, before the change, was the time.
        after = recent.at - jump - 1;
        continue;
      }
    }
    // A change of the clocks before that time: its offset no longer holds from there.
    const change = changeBetween(zone, after + 1, next);
    if (change === undefined) return next;
    after = change.at - 1;
  }
}

/** The cron's first time after `after` in a zone of the fixed `offset`. */
function firstAfter(cron: string, offset: number, after: number): number {
  return CronExpressionParser.parse(cron, { tz: fixedZone(offset), currentDate: new Date(after) })
    .next()
    .getTime();
}

/** A change of the clocks: when, and the offset before it. */
interface Change {
  readonly at: number;
  readonly before: number;
}

/** The first change of the clocks in `zone` after `from` up to `until` included. */
function changeBetween(zone: string, from: number, until: number): Change | undefined {
  for (let year = yearOf(from); year <= yearOf(until); year++) {
    const found = changesIn(zone, year).find((c) => c.at > from && c.at <= until);
    if (found) return found;
  }
  return undefined;
}

const yearOf = (t: number) => new Date(t).getUTCFullYear();

/** Each zone's changes by year, found once: a yearly cron is walked a year at a time. */
const changesByYear = new Map<string, readonly Change[]>();
const YEARS_KEPT = 256;

/**
 * The changes of the clocks in `zone` after the start of the UTC year up to the next one's start
 * included: looked for a day at a time (no two changes are a day apart), then to the second
 * (offsets change on whole seconds).
 */
function changesIn(zone: string, year: number): readonly Change[] {
  const key = `${zone}|${year}`;
  const known = changesByYear.get(key);
  if (known) return known;
  const found: Change[] = [];
  const end = Date.UTC(year + 1, 0, 1);
  for (let lo = Date.UTC(year, 0, 1); lo < end; lo += DAY) {
    const before = offsetAt(lo, zone);
    let hi = Math.min(lo + DAY, end);
    if (offsetAt(hi, zone) === before) continue;
    let low = lo;
    while (hi - low > 1000) {
      const mid = Math.floor((low + hi) / 2);
      if (offsetAt(mid, zone) === before) low = mid;
      else hi = mid;
    }
    found.push({ at: Math.floor(hi / 1000) * 1000, before });
  }
  if (changesByYear.size >= YEARS_KEPT) changesByYear.clear();
  changesByYear.set(key, found);
  return found;
}

/** A zone of a fixed offset from UTC, as cron-parser (Luxon) reads one: "UTC+10:30". */
function fixedZone(offset: number): string {
  const minutes = Math.round(Math.abs(offset) / 60_000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `UTC${offset < 0 ? "-" : "+"}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

import { CronExpressionParser } from "cron-parser";
import { DAY, HOUR } from "../time-units.js";
import { offsetAt } from "../time-zone.js";

/**
 * A cron's times in a time zone, in order: cron-parser's, where it gives up made safe. Its walk
 * loops out ("loop limit exceeded", after ~1 s) from a time before a change of the clocks by half
 * an hour (Australia/Lord_Howe's in April) to one after it; and where the clocks go back by two
 * hours (Antarctica/Troll) it gives a wall time they repeat twice.
 */

const LOOP_LIMIT = "loop limit exceeded";
/** How far a change of the clocks is looked for after the walk gave up. */
const CHANGE_HORIZON = 400 * DAY;
/** Longer than any change of the clocks (Antarctica/Troll's two hours). */
const LONGEST_CHANGE = 3 * HOUR;
/** What a walk that gave up was found to skip, per cron and zone: the time after it, at once. */
const walkedAround = new Map<string, Array<{ after: number; next: number }>>();
const REMEMBERED = 16;

const parse = (cron: string, tz: string, at: number) =>
  CronExpressionParser.parse(cron, { tz, currentDate: new Date(at) });

/** The next time of `cron` in `zone` after `from` each call (a wall time repeated, once). */
export function cronTimes(cron: string, zone: string, from: number): () => number {
  let times = parse(cron, zone, from);
  let last = from;
  const step = (): number => {
    const known = walkedAround
      .get(`${cron}\n${zone}`)
      ?.find((s) => s.after <= last && last < s.next);
    if (!known)
      try {
        return times.next().getTime();
      } catch (error) {
        if (!(error instanceof Error && error.message.includes(LOOP_LIMIT))) throw error;
      }
    const next = known?.next ?? walkAround(cron, zone, last);
    times = parse(cron, zone, next);
    return next;
  };
  return () => {
    for (;;) {
      last = step();
      if (!repeated(cron, zone, last)) return last;
    }
  };
}

/**
 * The time after `after`, where cron-parser's walk gave up: before the change of the clocks that
 * follows, in the offset before it; else from the change on (past the wall times it repeats).
 */
function walkAround(cron: string, zone: string, after: number): number {
  const change = changeAfter(zone, after);
  if (change === undefined)
    throw new Error(
      `the schedule "${cron}" in ${zone} has no time that can be found after ${new Date(after).toISOString()}`,
    );
  const before = offsetAt(after, zone);
  const first = parse(cron, fixedZone(before), after).next().getTime();
  const next =
    first < change
      ? first
      : cronTimes(cron, zone, change + Math.max(0, before - offsetAt(change, zone)) - 1)();
  const key = `${cron}\n${zone}`;
  walkedAround.set(key, [{ after, next }, ...(walkedAround.get(key) ?? [])].slice(0, REMEMBERED));
  return next;
}

/** The first instant after `t` whose offset in `zone` differs from `t`'s, within the horizon. */
function changeAfter(zone: string, t: number): number | undefined {
  const offset = offsetAt(t, zone);
  for (let hi = t + DAY; hi <= t + CHANGE_HORIZON; hi += DAY) {
    if (offsetAt(hi, zone) === offset) continue;
    let lo = hi - DAY;
    while (hi - lo > 1000) {
      const mid = Math.floor((lo + hi) / 2);
      if (offsetAt(mid, zone) === offset) lo = mid;
      else hi = mid;
    }
    // Offsets change on whole seconds.
    return Math.floor(hi / 1000) * 1000;
  }
  return undefined;
}

/**
 * Whether `at` reads a wall time the clocks going back repeat, whose first reading is a time of
 * the cron too: that one is its time.
 */
function repeated(cron: string, zone: string, at: number): boolean {
  const offset = offsetAt(at, zone);
  const before = offsetAt(at - LONGEST_CHANGE, zone);
  if (before <= offset) return false;
  const first = at - (before - offset);
  return (
    offsetAt(first, zone) === before &&
    parse(cron, fixedZone(before), first - 1)
      .next()
      .getTime() === first
  );
}

/** A zone of a fixed offset from UTC, as cron-parser (Luxon) reads one: "UTC+10:30". */
function fixedZone(offset: number): string {
  const minutes = Math.round(Math.abs(offset) / 60_000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `UTC${offset < 0 ? "-" : "+"}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

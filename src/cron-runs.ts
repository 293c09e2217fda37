import { CronExpressionParser } from "cron-parser";
import { DAY, HOUR, MINUTE } from "./time-units.js";
import { counted } from "./words.js";

/**
 * How far apart a cron's runs are, to refuse a schedule that would post too often (a daily
 * digest every minute: `* 9 * * *` for `0 9 * * *`). The runs are read in UTC, where the clocks
 * never change: the days and times a cron names are the same in every zone. They are read from a
 * fixed Monday, so a value is judged the same whenever it is read.
 */

/** A Monday, 00:00 UTC. */
const FROM = Date.UTC(2026, 0, 5);
/** A year and a week of runs: a cron that runs in some months only shows its longest gap too. */
const SPAN = 372 * DAY;

const WEEK = 7 * DAY;

/**
 * How far apart `cron`'s runs are when that is not once a week (its first gap that is not a
 * week: "1 day", "28 days", "1461 days"); undefined when it runs once a week. In a time zone with
 * summer time such a cron runs 7 days apart give or take the change of the clocks.
 */
export function notWeekly(cron: string): string | undefined {
  for (const gap of gapsBetweenRuns(cron)) if (gap !== WEEK) return apart(gap);
  return undefined;
}

/**
 * How soon `cron` runs after a run, when sooner than `least` ("1 minute"); else undefined. A cron
 * that passes has at most a few runs a day: the year of them costs cron-parser up to ~0.25 s.
 */
export function sooner(cron: string, least: number): string | undefined {
  for (const gap of gapsBetweenRuns(cron)) if (gap < least) return apart(gap);
  return undefined;
}

/**
 * The times between the cron's runs, in order, over a year and a week from its first run
 * (29 February's comes years later), and the gap that ends past it; the caller stops when it has
 * its answer (a cron of every second has 32 million in a year).
 */
function* gapsBetweenRuns(cron: string): Generator<number> {
  const runs = CronExpressionParser.parse(cron, { tz: "UTC", currentDate: new Date(FROM) });
  let before = runs.next().getTime();
  const end = before + SPAN;
  while (before <= end) {
    const at = runs.next().getTime();
    yield at - before;
    before = at;
  }
}

/** "1 day", "6 hours", "1 minute", "1 second": the largest whole unit. */
function apart(ms: number): string {
  if (ms % DAY === 0) return counted(ms / DAY, "day");
  if (ms % HOUR === 0) return counted(ms / HOUR, "hour");
  if (ms % MINUTE === 0) return counted(ms / MINUTE, "minute");
  return counted(Math.round(ms / 1000), "second");
}

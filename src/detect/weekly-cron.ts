import { CronExpressionParser } from "cron-parser";
import { DAY, HOUR, MINUTE } from "../time-units.js";
import { counted } from "../words.js";

/**
 * Whether a cron runs once a week (`attestation.cron`): the weekly check asks each person about
 * the week before each run, once per run, so a cron that runs daily asks everyone every day.
 */

const WEEK = 7 * DAY;
/** Runs looked at: over a year's, so one restricted to some months is caught too. */
const RUNS = 60;
/** A Monday, 00:00 UTC: the same runs are looked at whenever the file is read. */
const FROM = Date.UTC(2026, 0, 5);

/**
 * Why `cron` does not run once a week; undefined when it does. Its runs are read in UTC, where
 * the clocks never change: the days and times a cron names are the same in every zone, and in
 * DIGEST_TIMEZONE a weekly one runs 7 days apart give or take a change of the clocks, which the
 * check allows for (weekBefore).
 */
export function weeklyCronProblem(cron: string): string | undefined {
  const runs = CronExpressionParser.parse(cron, { tz: "UTC", currentDate: new Date(FROM) });
  let before = runs.next().getTime();
  for (let i = 1; i < RUNS; i++) {
    const at = runs.next().getTime();
    if (at - before !== WEEK)
      return `it runs ${apart(at - before)} after a run, not once a week: the check asks each person once a week about the week before it, so give a weekly time such as "0 10 * * MON" (Mondays at 10:00)`;
    before = at;
  }
  return undefined;
}

/** "1 day", "6 hours", "1 minute", "1 second": the largest whole unit. */
function apart(ms: number): string {
  if (ms % DAY === 0) return counted(ms / DAY, "day");
  if (ms % HOUR === 0) return counted(ms / HOUR, "hour");
  if (ms % MINUTE === 0) return counted(ms / MINUTE, "minute");
  return counted(Math.round(ms / 1000), "second");
}

/**
 * Errors about time as answers: a since:/until: value that does not read (with the duration or
 * date meant), and a window that is empty, all to come, before 1970 or longer than the longest.
 */
import { nearest } from "../nearest.js";
import { DAY } from "../time-units.js";
import { offsetAt } from "../time-zone.js";
import { KEY_INFO, MAX_WINDOW_DAYS } from "./keys.js";
import { problem, type QueryProblem, shown } from "./problems.js";
import {
  daysBefore,
  exampleDay,
  type Moment,
  type MomentResult,
  parseMoment,
  SECONDS,
} from "./time.js";
import { formAnswer, noSuchDay, timeForm } from "./time-forms.js";

/**
 * A number and the word after it (`since:3 hours`, `since:3 months`, `since:3 secs`,
 * `since:3 moths`), read as one: the word is its unit, a slip of one or no unit, and the number
 * alone is never taken for days.
 */
function unitAfter(
  text: string,
  next: string | undefined,
  end: boolean,
  now: number,
  zone: string,
): MomentResult | undefined {
  if (next === undefined || !/^\d{1,9}$/.test(text) || !/^[a-z]+$/i.test(next)) return undefined;
  return parseMoment(`${text}${next}`, end, now, zone);
}

/**
 * The suggestion of a duration meant (`90d` for `3 months`), when it is answered: for since:, one
 * reaching back 400 days or more, or too far to be read (before 1970, or more digits than a
 * duration has), is answered with the longest window, said to be (`since:14 months`, `since:500`).
 */
function meantDuration(
  key: "since" | "until",
  value: string,
  now: number,
  zone: string,
): string | undefined {
  const r = parseMoment(value, key === "until", now, zone);
  if (key === "since" && (!r.ok || now - r.moment.time >= MAX_WINDOW_DAYS * DAY))
    return `did you mean since:${MAX_WINDOW_DAYS}d? (the longest window answered)`;
  return r.ok ? `did you mean ${key}:${r.moment.label}?` : undefined;
}

/**
 * The problem of a since:/until: value; `next` is the free word after it (`since:3 Dec`,
 * `since:3 hours`), `since` the day of a since: already read.
 */
export function timeProblem(
  key: "since" | "until",
  text: string,
  next: string | undefined,
  now: number,
  zone: string,
  since?: string,
): QueryProblem {
  const day = exampleDay(now, zone);
  const examples = KEY_INFO[key].examples;
  const form = timeForm(key, text, next, now, zone, since);
  if (form) {
    const { message, suggestion } = formAnswer(key, shown(text), form, day);
    return problem(message, examples, suggestion);
  }
  const spaced = unitAfter(text, next, key === "until", now, zone);
  const r = spaced ?? parseMoment(text, key === "until", now, zone);
  const value = shown(spaced ? `${text} ${next}` : text);
  if (r.ok) {
    return spaced
      ? problem(
          `bad duration "${value}" for ${key}: a number and its unit go without a space`,
          examples,
          meantDuration(key, r.moment.label, now, zone),
        )
      : problem(`bad time "${value}" for ${key}:`, examples);
  }
  const hint = r.hint ? meantDuration(key, r.hint, now, zone) : undefined;
  switch (r.kind) {
    case "duration": {
      // A word after the number that is no unit, nor near one; seconds are one durations lack.
      const word = spaced && !r.hint && next !== undefined && !SECONDS.test(next.toLowerCase());
      const why = word ? `"${shown(next)}" is no unit; ` : "";
      return problem(
        `bad duration "${value}" for ${key}: ${why}use 15m, 24h, 7d or a date like ${day}`,
        examples,
        hint,
      );
    }
    case "date":
      return problem(
        noSuchDay(value)
          ? `there is no day ${value} (for ${key}:): use one the calendar has, like ${day}`
          : `bad date "${value}" for ${key}: use a day from 1970 on like ${day}, or ${day}T09:00Z`,
        examples,
        hint,
      );
    case "range":
      return problem(
        `${key}:${value} goes back before 1970`,
        examples,
        `did you mean ${key}:${MAX_WINDOW_DAYS}d?`,
      );
    case "word": {
      const guess = nearest(text.toLowerCase(), ["today", "yesterday", "now"]);
      return problem(
        `bad time "${value}" for ${key}: use 15m, 24h, 7d, today, yesterday or a date like ${day}`,
        examples,
        guess ? `did you mean ${key}:${guess}?` : undefined,
      );
    }
  }
}

/**
 * How long a window is: by the clock, or by the calendar where it is read when that is shorter, so
 * that a change of the clocks in it does not make 400 days of dates 401 (Berlin, October 2025 to
 * November 2026) while since:400d stays 400 days across one the other way.
 */
function windowLength(start: Moment, end: Moment, zone: string): number {
  const elapsed = end.time - start.time;
  return Math.min(elapsed, elapsed + offsetAt(end.time, zone) - offsetAt(start.time, zone));
}

/**
 * Whether since: and until: the other way round make a window that has begun: not when both name
 * one moment (`since:2h until:2h`, `since:24h until:1d`), where the swap is the question refused,
 * nor when the until: is after now (`since:2026-12-02 until:2026-12-01`), refused as all to come.
 */
function swapMakesWindow(start: Moment, end: Moment, now: number, zone: string): boolean {
  const since = parseMoment(end.label, false, now, zone);
  const until = parseMoment(start.label, true, now, zone);
  return since.ok && until.ok && since.moment.time < Math.min(now, until.moment.time);
}

/** What a since: not before now is told: what since: means, and what it takes. */
const COUNTS_BACK = "since: counts back from now: since:7d, or a past date";

/**
 * The advice to a since: not before its until: (or now): the two swapped when that is answered;
 * else leaving until: out when since: is before now, else what since: takes.
 */
function notBeforeAdvice(
  start: Moment,
  end: Moment,
  sinceGiven: boolean,
  untilGiven: boolean,
  now: number,
  zone: string,
): string {
  if (!(sinceGiven && untilGiven)) return untilGiven ? "give a since: before it" : COUNTS_BACK;
  if (swapMakesWindow(start, end, now, zone))
    return `did you mean since:${end.label} until:${start.label}?`;
  return start.time < now
    ? `give an until: later than since:${start.label}, or leave until: out`
    : COUNTS_BACK;
}

export function checkWindow(
  start: Moment,
  end: Moment,
  sinceGiven: boolean,
  untilGiven: boolean,
  now: number,
  zone: string,
): void {
  const from = `since:${start.label}`;
  const to = untilGiven ? `until:${end.label}` : "now";
  if (start.time < 0)
    throw problem(`the window ${from} to ${to} starts before 1970`, KEY_INFO.since.examples);
  // Nothing has happened in it yet: answered, it would read as a quiet week.
  if (untilGiven && start.time > now && start.time < end.time)
    throw problem(
      `the window ${from} to ${to} is all after now`,
      KEY_INFO.until.examples,
      sinceGiven
        ? "give a since: and an until: in the past"
        : "until: a past date, or since: alone",
    );
  if (start.time >= end.time) {
    throw problem(
      `${from} is not before ${to}`,
      KEY_INFO.until.examples,
      notBeforeAdvice(start, end, sinceGiven, untilGiven, now, zone),
    );
  }
  const length = windowLength(start, end, zone);
  if (length > MAX_WINDOW_DAYS * DAY) {
    // With both ends given, the latest since: that fits, unless that window is all to come.
    const latest = daysBefore(end, MAX_WINDOW_DAYS, zone);
    throw problem(
      `the window ${from} to ${to} spans ${Math.ceil(length / DAY)} days: at most ${MAX_WINDOW_DAYS}`,
      KEY_INFO.since.examples,
      !untilGiven || end.label === "now"
        ? `did you mean since:${MAX_WINDOW_DAYS}d?`
        : latest.time < now
          ? `did you mean since:${latest.label} ${to}?`
          : undefined,
    );
  }
}

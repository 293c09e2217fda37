/**
 * Times written the way people say them rather than the way `since:`/`until:` read them: a clock
 * time alone (`9:30`, `9am`, `9:30 pm`), a day and a month name (`3 Dec`, `3rd Dec`, `Dec 3`), a
 * day of a month alone (`1st`), a date with slashes or dots (`12/03`) or without its dashes
 * (`20261101`). Each is answered with the form to type. Pure: `now` and the zone come from the
 * caller.
 */
import { addDays, dayOf, wallTime } from "../time-zone.js";
import { MAX_WINDOW_DAYS } from "./keys.js";

/** How a since:/until: value was misread, and the text to give instead. */
export type TimeForm =
  | { readonly kind: "clock"; readonly hint: string }
  | { readonly kind: "month"; readonly hint: string | undefined }
  | { readonly kind: "numeric" }
  | { readonly kind: "digits"; readonly hint: string };

const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];

/** 1 to 12 for an English month name, long or short (`dec`, `sept`), else undefined. */
function monthOf(word: string): number | undefined {
  const w = word.toLowerCase().replace(/\.$/, "");
  if (w.length < 3) return undefined;
  const i = MONTHS.findIndex((m) => m.startsWith(w));
  return i === -1 ? undefined : i + 1;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** "HH:MM" (24-hour) of a 12-hour clock time (`2pm`, `9:30 p.m.`), else undefined. */
function clock24(text: string): string | undefined {
  const m = /^(\d{1,2})(?::(\d{2}))?\s*([ap])\.?m\.?$/.exec(text.toLowerCase());
  if (!m) return undefined;
  const [h, mi] = [Number(m[1]), Number(m[2] ?? 0)];
  if (h < 1 || h > 12 || mi > 59) return undefined;
  return `${pad((h % 12) + (m[3] === "p" ? 12 : 0))}:${pad(mi)}`;
}

/** A day of a month, as a number or an ordinal (`3`, `3rd`); group 1 is the number. */
const DAY_OF_MONTH = /^(\d{1,2})(st|nd|rd|th)?$/i;

/** A time of day, 24-hour: `9:00`, `09:00` or `09:00:30`. */
const CLOCK = /^([01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?$/;

/**
 * "HH:MM" of a time of day, 24-hour (`14:00`, `9:30`) or 12-hour (`2pm`, or `2` with `pm` as the
 * next word), else undefined.
 */
export function clockOf(word: string, next: string | undefined): string | undefined {
  const twelve = clock24(word) ?? (next === undefined ? undefined : clock24(`${word}${next}`));
  if (twelve !== undefined || !CLOCK.test(word)) return twelve;
  // A date-time's hour has two digits.
  return word.padStart(word.indexOf(":") === 1 ? word.length + 1 : word.length, "0");
}

/**
 * The day a clock time with no date means, given `wall` ("YYYY-MM-DD HH:MM", now where the reader
 * is): today's, but for since: yesterday's when today's is still ahead, since a window from the
 * future is refused.
 */
export function clockDay(key: "since" | "until", clock: string, wall: string): string {
  const today = wall.slice(0, 10);
  return key === "since" && `${today} ${clock}` > wall ? addDays(today, -1) : today;
}

/** Whether `value` names a day, month and year as YYYY-MM-DD that the calendar has not (2026-02-29). */
export function noSuchDay(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return (
    m !== null && Number(m[3]) >= 1 && dayIn(Number(m[1]), Number(m[2]), Number(m[3])) === undefined
  );
}

/** "YYYY-MM-DD" of a day of a month in `year`, undefined when there is no such month or day. */
function dayIn(year: number, month: number, day: number): string | undefined {
  if (month < 1 || month > 12) return undefined; // 20261311: day and month swapped
  const d = new Date(Date.UTC(year, month - 1, day));
  // 31 Nov, or 29 Feb of a common year
  return d.getUTCDate() === day ? `${year}-${pad(month)}-${pad(day)}` : undefined;
}

/** The days a window may span, less the day's own (a change of the clocks is not counted). */
const REACH_DAYS = MAX_WINDOW_DAYS - 1;

/**
 * The day meant by a day of a month with no year, one whose window is answered. For since:, the
 * latest one not after today and within REACH_DAYS (3 Dec, asked in November, is last year's).
 * For until: after a since:, the first one after that day within REACH_DAYS of it
 * (since:2026-12-20 until:5 Jan is 2027's); alone, the latest whose week, the window it means,
 * has begun. Undefined when there is none (29 February, most years).
 */
function dayMeant(
  key: "since" | "until",
  month: number,
  day: number,
  today: string,
  since: string | undefined,
): string | undefined {
  const year = Number(today.slice(0, 4));
  const inYears = (years: number[]) =>
    years.map((y) => dayIn(y, month, day)).filter((d): d is string => d !== undefined);
  if (key === "since")
    return inYears([year, year - 1]).find((d) => d <= today && d >= addDays(today, -REACH_DAYS));
  if (since !== undefined) {
    const from = Number(since.slice(0, 4));
    return inYears([from, from + 1]).find((d) => d > since && d <= addDays(since, REACH_DAYS));
  }
  return inYears([year, year - 1]).find((d) => addDays(d, -6) <= today);
}

/**
 * How `value` (with the free word after it, `next`) is a time in another form, or undefined when it
 * is not one. A clock time's hint is its day (see clockDay) in the reader's zone with the hour;
 * `since` is the day of the question's since:, if it has one.
 */
export function timeForm(
  key: "since" | "until",
  value: string,
  next: string | undefined,
  now: number,
  zone: string,
  since?: string,
): TimeForm | undefined {
  const clock = clockOf(value, next);
  if (clock)
    return { kind: "clock", hint: `"${clockDay(key, clock, wallTime(now, zone))} ${clock}"` };

  const valueDay = DAY_OF_MONTH.exec(value);
  const nextDay = next === undefined ? null : DAY_OF_MONTH.exec(next);
  const dayFirst = valueDay && next !== undefined ? monthOf(next) : undefined;
  const monthFirst = nextDay ? monthOf(value) : undefined;
  const today = dayOf(now, zone);
  if (dayFirst !== undefined) {
    return { kind: "month", hint: dayMeant(key, dayFirst, Number(valueDay?.[1]), today, since) };
  }
  if (monthFirst !== undefined) {
    return { kind: "month", hint: dayMeant(key, monthFirst, Number(nextDay?.[1]), today, since) };
  }
  // A month alone, or an ordinal day alone (`1st`): which day is meant is not known.
  if ((monthOf(value) !== undefined && /^[a-z.]+$/i.test(value)) || valueDay?.[2] !== undefined) {
    return { kind: "month", hint: undefined };
  }

  // 20261101: a date without its dashes, year first as the form is.
  const digits = /^(\d{4})(\d{2})(\d{2})$/.exec(value)?.slice(1).map(Number);
  const [year = 0, month = 0, date = 0] = digits ?? [];
  const day = year >= 1970 && year <= 9998 ? dayIn(year, month, date) : undefined;
  if (day) return { kind: "digits", hint: day };

  // 12/03 is December 3 to some and 12 March to others: the form is said, not guessed.
  if (/^\d[\d/.-]*$/.test(value) && /[/.]/.test(value)) return { kind: "numeric" };
  return undefined;
}

/** What is wrong with a time in another form, and what to type: `example` is a date to show. */
export function formAnswer(
  key: "since" | "until",
  value: string,
  form: TimeForm,
  example: string,
): { message: string; suggestion: string } {
  switch (form.kind) {
    case "clock":
      // am/pm is not a unit: 9am is nine o'clock, not nine minutes; 9:30 alone has no day.
      return {
        message: `bad time "${value}" for ${key}: a time of day goes with its date, in quotes, 24-hour`,
        suggestion: `did you mean ${key}:${form.hint}?`,
      };
    case "month":
      return {
        message: `bad date "${value}" for ${key}: give a date as YYYY-MM-DD, like ${example}`,
        suggestion: form.hint
          ? `did you mean ${key}:${form.hint}?`
          : `for example ${key}:${example}`,
      };
    case "digits":
      return {
        message: `bad date "${value}" for ${key}: give a date as YYYY-MM-DD, with its dashes`,
        suggestion: `did you mean ${key}:${form.hint}?`,
      };
    case "numeric":
      return {
        message: `bad date "${value}" for ${key}: give a date as YYYY-MM-DD (year, month, day), like ${example}`,
        suggestion: `for example ${key}:${example}`,
      };
  }
}

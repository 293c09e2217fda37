/**
 * Times of `since:` and `until:` values: durations ago, calendar days in the reader's time zone,
 * and ISO date-times. Pure: `now` and the zone come from the caller.
 */
import { distance, nearest } from "../nearest.js";
import { DAY, HOUR, MINUTE } from "../time-units.js";
import { addDays, dayOf, fromWall, isTimeZone, knownZone, startOfDay } from "../time-zone.js";

/** Milliseconds per unit of a duration, by its canonical letter. */
const UNIT_MS = { m: MINUTE, h: HOUR, d: DAY, w: 7 * DAY } as const;
type Unit = keyof typeof UNIT_MS;

/** Unit words accepted after a number, by the canonical letter they mean. */
const UNIT_WORDS: Record<string, Unit> = {
  m: "m",
  min: "m",
  mins: "m",
  minute: "m",
  minutes: "m",
  h: "h",
  hr: "h",
  hrs: "h",
  hour: "h",
  hours: "h",
  d: "d",
  day: "d",
  days: "d",
  w: "w",
  wk: "w",
  wks: "w",
  week: "w",
  weeks: "w",
};

/** Units below a minute, which durations do not count in: no unit of another size is offered. */
export const SECONDS = /^(?:s|secs?|seconds?|ms|msecs?|millis(?:econds?)?)$/;

/**
 * Words of the units longer than a duration counts in, answered in days: months of 30 days, years
 * with the 400 days a window spans at most.
 */
const LONG_WORDS: Record<string, "mo" | "y"> = {
  mo: "mo",
  mos: "mo",
  mon: "mo",
  mons: "mo",
  mth: "mo",
  mths: "mo",
  mnth: "mo",
  mnths: "mo",
  month: "mo",
  months: "mo",
  y: "y",
  yr: "y",
  yrs: "y",
  year: "y",
  years: "y",
};

/** The size of unit each unit word names. */
type Size = Unit | "mo" | "y";
const SIZES: Record<string, Size> = { ...UNIT_WORDS, ...LONG_WORDS };

/**
 * The size of unit a word names, or that a slip of one (`hurs`, `monts`) was meant to: the nearest
 * unit word's starting with the same letter, so never one of another size (`3rd` is no `3d`, `3ms`
 * no `3m`); none when words of two sizes are as near (`3mn`: minutes or months).
 */
function sizeMeant(word: string): Size | undefined {
  if (Object.hasOwn(SIZES, word)) return SIZES[word];
  if (word.length < 2 || SECONDS.test(word)) return undefined;
  const words = Object.keys(SIZES).filter((w) => w[0] === word[0]);
  const near = nearest(word, words);
  if (near === undefined) return undefined;
  const d = distance(word, near);
  const tie = words.some((w) => SIZES[w] !== SIZES[near] && distance(word, w) === d);
  return tie ? undefined : SIZES[near];
}

/** A moment `since:`/`until:` names, and the canonical text to show for it. */
export interface Moment {
  readonly time: number;
  readonly label: string;
  /** For a duration: its count and unit, so a default `since:` can extend it. */
  readonly duration?: { readonly count: number; readonly unit: Unit };
  /** For a calendar day (a date, today, yesterday): the day, "YYYY-MM-DD". */
  readonly day?: string;
}

export type MomentResult =
  | { readonly ok: true; readonly moment: Moment }
  | {
      readonly ok: false;
      readonly kind: "duration" | "date" | "word" | "range";
      readonly hint?: string;
    };

/** The zone to compute in: the reader's if Intl knows it, else UTC. */
export function safeZone(zone: string): string {
  return knownZone(zone) || isTimeZone(zone) ? zone : "UTC";
}

const DURATION = /^(\d{1,9})([a-z]+)$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[t ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(z|[+-]\d{2}(?::?\d{2})?)?$/;

function validDay(y: number, m: number, d: number): boolean {
  if (y < 1970 || y > 9998 || m < 1 || m > 12 || d < 1) return false;
  return new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d;
}

/**
 * The moment a `since:` (`end` false) or `until:` (`end` true) value names. A date alone means the
 * start of that day in `zone` for since and the end of it (the next day's start) for until.
 */
export function parseMoment(text: string, end: boolean, now: number, zone: string): MomentResult {
  const value = text.trim().toLowerCase();

  if (value === "now") return { ok: true, moment: { time: now, label: "now" } };
  if (value === "today" || value === "yesterday") {
    const today = dayOf(now, zone);
    const day = value === "today" ? today : addDays(today, -1);
    const time = startOfDay(end ? addDays(day, 1) : day, zone);
    return { ok: true, moment: { time, label: value, day } };
  }

  const duration = DURATION.exec(value);
  if (duration) {
    const count = Number(duration[1]);
    const word = duration[2] ?? "";
    const unit = Object.hasOwn(UNIT_WORDS, word) ? UNIT_WORDS[word] : undefined;
    if (!unit) {
      const size = sizeMeant(word);
      const hint =
        size === "mo"
          ? `${count * 30}d`
          : size === "y"
            ? "400d"
            : size
              ? `${count}${size}`
              : undefined;
      return { ok: false, kind: "duration", ...(hint ? { hint } : {}) };
    }
    const time = now - count * UNIT_MS[unit];
    if (time < 0) return { ok: false, kind: "range" };
    return { ok: true, moment: { time, label: `${count}${unit}`, duration: { count, unit } } };
  }
  if (/^\d+$/.test(value)) {
    // A number of days, when that many days ago is a time (since:20261101 is a date's).
    const days = parseMoment(`${value}d`, end, now, zone).ok;
    return { ok: false, kind: "duration", ...(days ? { hint: `${value}d` } : {}) };
  }

  const date = DATE.exec(value);
  if (date) {
    const [y, m, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
    if (!validDay(y, m, d)) return { ok: false, kind: "date" };
    const day = value;
    const time = startOfDay(end ? addDays(day, 1) : day, zone);
    return { ok: true, moment: { time, label: day, day } };
  }

  const dt = DATE_TIME.exec(value);
  if (dt) {
    const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(dt[i] ?? 0)) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const ms = Number((dt[7] ?? "").padEnd(3, "0").slice(0, 3));
    if (!validDay(y, mo, d) || h > 23 || mi > 59 || s > 59) return { ok: false, kind: "date" };
    const wall = Date.UTC(y, mo - 1, d, h, mi, s, ms);
    const zoneText = dt[8];
    let time: number;
    if (zoneText === undefined) time = fromWall(wall, zone);
    else if (zoneText === "z") time = wall;
    else {
      const digits = zoneText.slice(1).replace(":", "");
      const oh = Number(digits.slice(0, 2));
      const om = Number(digits.slice(2) || "0");
      if (oh > 23 || om > 59) return { ok: false, kind: "date" };
      time = wall - (zoneText.startsWith("-") ? -1 : 1) * (oh * HOUR + om * MINUTE);
    }
    if (time < 0) return { ok: false, kind: "range" };
    return { ok: true, moment: { time, label: value.toUpperCase().replace(" ", "T") } };
  }

  if (/^\d/.test(value)) {
    return { ok: false, kind: /^\d{4}-/.test(value) ? "date" : "duration" };
  }
  return { ok: false, kind: "word" };
}

/**
 * The `since:` of a window of `days` days ending at `until`, said in the until's own terms so that
 * the canonical text parses back to the same window: a week for the default `since:` when only
 * `until:` is given, the longest window answered when one asked for is longer. A duration's unit
 * that does not divide the days (400 days are no whole number of weeks) gives way to days.
 */
export function daysBefore(until: Moment, days: number, zone: string): Moment {
  if (until.duration) {
    const { count, unit } = until.duration;
    const to = Number.isInteger((days * DAY) / UNIT_MS[unit]) ? unit : "d";
    const extended = (count * UNIT_MS[unit] + days * DAY) / UNIT_MS[to];
    return {
      time: until.time - days * DAY,
      label: `${extended}${to}`,
      duration: { count: extended, unit: to },
    };
  }
  if (until.day) {
    // until: a day ends at the next day's start; a week is that day and the six before it.
    const day = addDays(until.day, 1 - days);
    return { time: startOfDay(day, zone), label: day, day };
  }
  const time = until.time - days * DAY;
  return { time, label: isoLabel(time) };
}

/** An instant as an ISO text the parser reads back exactly ("2026-11-01T09:30:00.000Z"). */
function isoLabel(t: number): string {
  return new Date(t).toISOString();
}

/** A date a week before `now` in `zone`, for examples in messages. */
export function exampleDay(now: number, zone: string): string {
  return dayOf(now - 7 * DAY, zone);
}

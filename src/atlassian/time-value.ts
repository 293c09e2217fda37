import { kindOf } from "../domain/audit-fields.js";

/** An event's time as Atlassian writes it, read into epoch ms, or what is wrong with it. */

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const NO_ZONE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?$/;
const DIGITS = /^\d+$/;

/**
 * A number is taken as epoch ms only when it falls between these. Outside, it was written in
 * other units (a live call in seconds reads as January 1970, and as history never alerted on) or
 * is no time at all: it is refused with the units it looks like, never converted on a guess.
 */
const FIRST_MS = Date.UTC(2000, 0, 1);
const PAST_MS = Date.UTC(2100, 0, 1);

export type TimeReading = { readonly ms: number } | { readonly problem: string };

export function readTime(value: unknown): TimeReading {
  if (value === undefined) return { problem: "is missing" };
  if (typeof value === "number") return fromNumber(value);
  if (typeof value !== "string")
    return { problem: `must be an ISO 8601 date-time with a zone, got ${kindOf(value)}` };
  if (ISO_TIME.test(value)) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? { problem: `is not a real date-time: ${quoted(value)}` } : { ms };
  }
  if (NO_ZONE.test(value)) return { problem: `has no time zone: ${quoted(value)}` };
  if (DIGITS.test(value))
    return { problem: `is a string of digits, not an ISO 8601 date-time: ${quoted(value)}` };
  return { problem: `must be an ISO 8601 date-time with a zone, got ${quoted(value)}` };
}

function fromNumber(n: number): TimeReading {
  if (!Number.isInteger(n)) return { problem: `must be whole epoch milliseconds, got ${n}` };
  if (plausible(n)) return { ms: n };
  if (n < FIRST_MS)
    return {
      problem: plausible(n * 1000)
        ? `is ${n}, a number of seconds: epoch milliseconds were expected`
        : `is ${n}, too small to be epoch milliseconds (before 2000)`,
    };
  if (plausible(Math.round(n / 1000)))
    return { problem: `is ${n}, a number of microseconds: epoch milliseconds were expected` };
  if (plausible(Math.round(n / 1_000_000)))
    return { problem: `is ${n}, a number of nanoseconds: epoch milliseconds were expected` };
  return { problem: `is ${n}, too large to be epoch milliseconds (after 2099)` };
}

function plausible(ms: number): boolean {
  return ms >= FIRST_MS && ms < PAST_MS;
}

/** The value in quotes, cut short: a reason is read in a log line. */
function quoted(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

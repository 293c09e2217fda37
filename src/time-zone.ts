import { DAY } from "./time-units.js";

/** Whether Intl knows the IANA time zone `zone` (e.g. "Europe/Berlin"). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The wall clock of a time zone at an instant. */
export interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** "sun" … "sat" */
  readonly weekday: "sun" | "mon" | "tue" | "wed" | "thu" | "fri" | "sat";
}

/** One formatter per zone: building one costs far more than using it. */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Whether a formatter for `zone` was built already (the zone is known to be valid). */
export const knownZone = (zone: string): boolean => formatters.has(zone);

/** The wall-clock fields in `zone` at instant `ms`. */
export function wallClock(ms: number, zone: string): WallClock {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      weekday: "short",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(zone, format);
  }
  const parts: Record<string, string> = {};
  for (const p of format.formatToParts(ms)) if (p.type !== "literal") parts[p.type] = p.value;
  return {
    year: Number(parts.year ?? 1970),
    month: Number(parts.month ?? 1),
    day: Number(parts.day ?? 1),
    hour: Number(parts.hour ?? 0) % 24,
    minute: Number(parts.minute ?? 0),
    second: Number(parts.second ?? 0),
    weekday: (parts.weekday ?? "Thu").slice(0, 3).toLowerCase() as WallClock["weekday"],
  };
}

type Fields = Omit<WallClock, "weekday">;

/** The wall-clock fields in `zone` at instant `t`. */
const localFields = (t: number, zone: string): Fields => wallClock(t, zone);

function wallOf(f: Fields): number {
  return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
}

/** The zone's offset from UTC at instant `t`, in ms (whole seconds). */
export function offsetAt(t: number, zone: string): number {
  const whole = Math.floor(t / 1000) * 1000;
  return wallOf(localFields(whole, zone)) - whole;
}

/**
 * The first instant whose wall clock in `zone` reads `wall` (a UTC-encoded wall time) or later:
 * in a DST gap, the moment the clocks jump to; in an overlap, the earlier of the two.
 */
export function fromWall(wall: number, zone: string): number {
  const offsets = new Set([
    offsetAt(wall - DAY, zone),
    offsetAt(wall, zone),
    offsetAt(wall + DAY, zone),
  ]);
  const candidates = [...offsets].map((o) => wall - o);
  const exact = candidates.filter((c) => wallOf(localFields(c, zone)) + (c % 1000) === wall);
  if (exact.length > 0) return Math.min(...exact);
  // A gap: the wall time never happens; take the instant the clocks jump forward.
  const after = candidates.filter((c) => wallOf(localFields(c, zone)) + (c % 1000) > wall);
  return after.length > 0 ? Math.min(...after) : Math.min(...candidates);
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** "YYYY-MM-DD" of instant `t` in `zone`. */
export function dayOf(t: number, zone: string): string {
  const f = localFields(t, zone);
  return `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)}`;
}

/** "YYYY-MM-DD HH:MM" of instant `t` in `zone`. */
export function wallTime(t: number, zone: string): string {
  const f = localFields(t, zone);
  return `${dayOf(t, zone)} ${pad(f.hour)}:${pad(f.minute)}`;
}

/** The calendar day `days` after "YYYY-MM-DD" (negative: before). */
export function addDays(day: string, days: number): string {
  const [y = 1970, m = 1, d = 1] = day.split("-").map(Number);
  const t = new Date(Date.UTC(y, m - 1, d) + days * DAY);
  return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** The first instant of calendar day "YYYY-MM-DD" in `zone`. */
export function startOfDay(day: string, zone: string): number {
  const [y = 1970, m = 1, d = 1] = day.split("-").map(Number);
  return fromWall(Date.UTC(y, m - 1, d), zone);
}

import { HOUR } from "../../time-units.js";
import { wallClock } from "../../time-zone.js";

export interface DayWindow {
  /** YYYY-MM-DD in the time zone. */
  readonly day: string;
  readonly start: number;
  /** The next day's start (for today: just after now). */
  readonly end: number;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** The instant of the midnight that starts the day of `at` in `zone` (DST-safe to the hour). */
function midnight(at: number, zone: string): number {
  const w = wallClock(at, zone);
  let start = at - ((w.hour * 60 + w.minute) * 60 + w.second) * 1000 - (at % 1000);
  // A clock change that day moves midnight by an hour: step until the wall clock says 00.
  for (let i = 0; i < 2; i++) {
    const h = wallClock(start, zone).hour;
    if (h === 0) break;
    start += h >= 12 ? HOUR : -HOUR;
  }
  return start;
}

/** Today and the `n - 1` days before it in `zone`, newest first: what the Home shows a person. */
export function lastDays(now: number, zone: string, n: number): DayWindow[] {
  const days: DayWindow[] = [];
  let end = now + 1; // today includes now
  let start = midnight(now, zone);
  for (let i = 0; i < n; i++) {
    const w = wallClock(start + HOUR, zone);
    days.push({ day: `${w.year}-${pad(w.month)}-${pad(w.day)}`, start, end });
    end = start;
    start = midnight(start - 12 * HOUR, zone);
  }
  return days;
}

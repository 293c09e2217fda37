import { addDays, dayOf, startOfDay } from "../../time-zone.js";

export interface DayWindow {
  /** YYYY-MM-DD in the time zone. */
  readonly day: string;
  readonly start: number;
  /** The next day's start (for today: just after now). */
  readonly end: number;
}

/**
 * Today and the `n - 1` days before it in `zone`, newest first: what the Home shows a person.
 * Each starts at its own midnight, or where the clocks jump to when they skip it.
 */
export function lastDays(now: number, zone: string, n: number): DayWindow[] {
  const days: DayWindow[] = [];
  let end = now + 1; // today includes now
  let day = dayOf(now, zone);
  for (let i = 0; i < n; i++) {
    const start = startOfDay(day, zone);
    days.push({ day, start, end });
    end = start;
    day = addDays(day, -1);
  }
  return days;
}

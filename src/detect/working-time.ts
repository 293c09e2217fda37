import { DAY, MINUTE } from "../time-units.js";
import { wallClock } from "../time-zone.js";
import { toMinutes, withinWorkingHours } from "./rules/mcp-off-hours.js";
import type { RuleContext } from "./types.js";

const HORIZON = 60 * DAY;
const MIDNIGHT = 24 * 60;

/**
 * The moment `workMs` of time within working hours has passed after `from` (a Friday-evening
 * alert with a two-hour delay falls due on Monday morning); never sooner for a later `from`.
 * Never later than 60 days after `from`, so a calendar without working days still comes due.
 */
export function workingDueAt(
  from: number,
  workMs: number,
  hours: RuleContext["workingHours"],
): number {
  const until = from + HORIZON;
  let left = workMs;
  let at = from;
  while (left > 0 && at < until) {
    const next = Math.min(spanEnd(at, hours), until);
    if (withinWorkingHours(at, hours)) {
      if (next - at >= left) return at + left;
      left -= next - at;
    }
    at = next;
  }
  return at;
}

/**
 * When the span of minutes `at` is in ends: at the next start, end or midnight of the wall
 * clock, within or out of working hours all along. A change of the clocks before it: the minute.
 */
function spanEnd(at: number, hours: RuleContext["workingHours"]): number {
  const wall = wallClock(at, hours.timezone);
  const minutes = wall.hour * 60 + wall.minute;
  const to = Math.min(
    ...[toMinutes(hours.start), toMinutes(hours.end), MIDNIGHT].filter((m) => m > minutes),
  );
  const minute = at - wall.second * 1000 - (at % 1000);
  const end = minute + (to - minutes) * MINUTE;
  const there = wallClock(end, hours.timezone);
  return there.hour * 60 + there.minute === to % MIDNIGHT ? end : minute + MINUTE;
}

import { DAY, MINUTE } from "../time-units.js";
import { withinWorkingHours } from "./rules/mcp-off-hours.js";
import type { RuleContext } from "./types.js";

const HORIZON = 60 * DAY;

/**
 * The moment `workMs` has passed after `from`, counting only the minutes within working hours
 * (a Friday-evening alert with a two-hour delay falls due on Monday morning). Never later than
 * 60 days after `from`, so a calendar without working days still comes due.
 */
export function workingDueAt(
  from: number,
  workMs: number,
  hours: RuleContext["workingHours"],
): number {
  let counted = 0;
  let at = from;
  while (counted < workMs && at < from + HORIZON) {
    if (withinWorkingHours(at, hours)) counted += MINUTE;
    at += MINUTE;
  }
  return at;
}

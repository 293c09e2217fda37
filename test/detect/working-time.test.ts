/** The time a reminder kept to working hours falls due: a pure calendar walk. */
import { describe, expect, it } from "vitest";
import { withinWorkingHours } from "../../src/detect/rules/mcp-off-hours.js";
import type { RuleContext } from "../../src/detect/types.js";
import { workingDueAt } from "../../src/detect/working-time.js";
import { DAY, HOUR, MINUTE } from "../../src/time-units.js";

type Hours = RuleContext["workingHours"];
const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"];
const UTC_HOURS: Hours = { timezone: "UTC", days: WEEKDAYS, start: "09:00", end: "18:00" };

/** Counting minute by minute, from a whole minute: each minute in working hours counts. */
function minuteByMinute(from: number, workMs: number, hours: Hours): number {
  let counted = 0;
  let at = from;
  while (counted < workMs && at < from + 60 * DAY) {
    if (withinWorkingHours(at, hours)) counted += MINUTE;
    at += MINUTE;
  }
  return at;
}

describe("workingDueAt", () => {
  it("is never sooner for a later start, seconds included", () => {
    // Friday 2026-11-13 18:30:40 and 18:31:00, after hours: both Monday 11:00.
    const monday11 = Date.UTC(2026, 10, 16, 11, 0);
    expect(workingDueAt(Date.UTC(2026, 10, 13, 18, 30, 40), 2 * HOUR, UTC_HOURS)).toBe(monday11);
    expect(workingDueAt(Date.UTC(2026, 10, 13, 18, 31), 2 * HOUR, UTC_HOURS)).toBe(monday11);
    // Within hours, the seconds count: two hours after 10:00:40 is 12:00:40.
    const tuesday = Date.UTC(2026, 10, 17, 10, 0, 40);
    expect(workingDueAt(tuesday, 2 * HOUR, UTC_HOURS)).toBe(tuesday + 2 * HOUR);
    const friday = Date.UTC(2026, 10, 13, 17, 0);
    let before = 0;
    for (let from = friday; from < friday + 3 * DAY; from += 61_717) {
      const due = workingDueAt(from, 2 * HOUR, UTC_HOURS);
      expect(due).toBeGreaterThanOrEqual(before);
      before = due;
    }
  });

  it("counts each whole minute within working hours, across changes of the clocks and night shifts", () => {
    const calendars: Hours[] = [
      UTC_HOURS,
      { timezone: "Europe/Berlin", days: WEEKDAYS, start: "08:30", end: "17:15" },
      { timezone: "America/New_York", days: ["sun", "mon"], start: "01:30", end: "03:30" },
      { timezone: "Europe/London", days: WEEKDAYS, start: "22:00", end: "06:00" },
      { timezone: "Australia/Lord_Howe", days: ["sat", "sun"], start: "01:00", end: "02:45" },
      { timezone: "Asia/Kathmandu", days: ["wed"], start: "00:00", end: "23:59" },
    ];
    // Around the changes of the clocks of 2026 in Europe, the United States and Lord Howe.
    const starts = [
      Date.UTC(2026, 2, 27, 16, 7),
      Date.UTC(2026, 2, 6, 20, 0),
      Date.UTC(2026, 9, 23, 23, 59),
      Date.UTC(2026, 9, 30, 5, 1),
      Date.UTC(2026, 3, 3, 13, 30),
    ];
    for (const hours of calendars)
      for (const from of starts)
        for (const minutes of [1, 45, 300])
          expect(workingDueAt(from, minutes * MINUTE, hours), `${hours.timezone} ${from}`).toBe(
            minuteByMinute(from, minutes * MINUTE, hours),
          );
  });

  it("comes due 60 days on when no time is working time", () => {
    const never: Hours = { timezone: "UTC", days: ["mon"], start: "09:00", end: "09:01" };
    const from = Date.UTC(2026, 10, 13, 12, 0, 5);
    expect(workingDueAt(from, 10_080 * MINUTE, never)).toBe(from + 60 * DAY);
    expect(workingDueAt(from, 0, UTC_HOURS)).toBe(from);
  });
});

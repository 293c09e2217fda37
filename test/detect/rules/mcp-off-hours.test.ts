import { describe, expect, it } from "vitest";
import { mcpOffHours, withinWorkingHours } from "../../../src/detect/rules/mcp-off-hours.js";
import { HOUR } from "../../../src/time-units.js";
import { context, mcpEvent, T0 } from "../fixtures.js";

describe("mcp-off-hours", () => {
  it("is off by default", () => {
    expect(mcpOffHours.defaultEnabled).toBe(false);
  });

  it("is silent inside working hours and raises outside them", () => {
    expect(mcpOffHours.evaluate(mcpEvent({ time: T0 }), {}, {}, context)).toBeNull();
    expect(mcpOffHours.evaluate(mcpEvent({ time: T0 + 12 * HOUR }), {}, {}, context)?.title).toBe(
      "MCP call by Alice Example outside working hours (wed, UTC)",
    );
  });

  it("counts the weekend as outside", () => {
    const saturday = Date.UTC(2026, 10, 7, 11, 0, 0);
    expect(mcpOffHours.evaluate(mcpEvent({ time: saturday }), {}, {}, context)).not.toBeNull();
  });

  it("reads the hours in the configured zone, edges included", () => {
    const tokyo = { timezone: "Asia/Tokyo", days: ["wed"], start: "09:00", end: "18:00" };
    // 10:00 UTC is 19:00 in Tokyo: outside. 00:00 UTC is 09:00 there: inside (start included).
    expect(withinWorkingHours(T0, tokyo)).toBe(false);
    expect(withinWorkingHours(Date.UTC(2026, 10, 4, 0, 0), tokyo)).toBe(true);
    expect(withinWorkingHours(Date.UTC(2026, 10, 4, 9, 0), tokyo)).toBe(false); // 18:00: end excluded
  });

  it("handles hours that span midnight", () => {
    const night = { timezone: "UTC", days: ["wed"], start: "22:00", end: "06:00" };
    expect(withinWorkingHours(Date.UTC(2026, 10, 4, 23, 0), night)).toBe(true);
    expect(withinWorkingHours(Date.UTC(2026, 10, 4, 12, 0), night)).toBe(false);
  });

  it("counts the hours after midnight as the day the night shift began", () => {
    const nights = {
      timezone: "UTC",
      days: ["mon", "tue", "wed", "thu", "fri"],
      start: "22:00",
      end: "06:00",
    };
    // 2026-11-06 is a Friday.
    expect(withinWorkingHours(Date.UTC(2026, 10, 6, 23, 0), nights)).toBe(true); // Friday night
    expect(withinWorkingHours(Date.UTC(2026, 10, 7, 2, 0), nights)).toBe(true); // its Saturday morning
    expect(withinWorkingHours(Date.UTC(2026, 10, 8, 23, 0), nights)).toBe(false); // Sunday night
    expect(withinWorkingHours(Date.UTC(2026, 10, 9, 2, 0), nights)).toBe(false); // after a Sunday off
    expect(withinWorkingHours(Date.UTC(2026, 10, 10, 2, 0), nights)).toBe(true); // Monday night's
    expect(withinWorkingHours(Date.UTC(2026, 10, 10, 6, 0), nights)).toBe(false); // end excluded
  });
});

import { z } from "zod";
import { isTimeZone, wallClock } from "../../time-zone.js";
import type { Rule, RuleContext } from "../types.js";
import { who } from "../types.js";
import { noSettings } from "./settings.js";

const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

export const workingHoursSchema = z
  .strictObject({
    timezone: z
      .string()
      .refine(isTimeZone, { error: "expected an IANA time zone such as Europe/Berlin" })
      .default("UTC"),
    days: z
      .array(z.enum(DAYS, { error: `expected days among ${DAYS.join(", ")}` }))
      .min(1, {
        error: "expected one working day at least (to alert on none, turn mcp-off-hours off)",
      })
      .default(["mon", "tue", "wed", "thu", "fri"]),
    start: z.string().regex(HH_MM, { error: 'expected a time such as "09:00"' }).default("09:00"),
    end: z.string().regex(HH_MM, { error: 'expected a time such as "18:00"' }).default("18:00"),
  })
  // Equal, they hold no time: every call would be off-hours, and reminders kept to working hours
  // would never come.
  .refine((hours) => hours.start !== hours.end, {
    error:
      "start and end are the same time, so the working hours hold none (for all day, turn mcp-off-hours off and set escalation.workingHoursOnly to false)",
    path: ["end"],
  })
  .default({
    timezone: "UTC",
    days: ["mon", "tue", "wed", "thu", "fri"],
    start: "09:00",
    end: "18:00",
  });

/** The weekday and minutes after midnight of `ms` in `timezone`. */
function localTime(ms: number, timezone: string): { day: (typeof DAYS)[number]; minutes: number } {
  const wall = wallClock(ms, timezone);
  return { day: wall.weekday, minutes: wall.hour * 60 + wall.minute };
}

/** Minutes after midnight of "HH:MM". */
export const toMinutes = (hhmm: string): number =>
  Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * True inside the working days and hours. An end before the start spans midnight, and its hours
 * after midnight belong to the day the shift began: Friday night's shift runs into Saturday.
 */
export function withinWorkingHours(ms: number, hours: RuleContext["workingHours"]): boolean {
  const { day, minutes } = localTime(ms, hours.timezone);
  const start = toMinutes(hours.start);
  const end = toMinutes(hours.end);
  if (start <= end) return hours.days.includes(day) && minutes >= start && minutes < end;
  if (minutes >= start) return hours.days.includes(day);
  const dayBefore = DAYS[(DAYS.indexOf(day) + 6) % 7] ?? day;
  return minutes < end && hours.days.includes(dayBefore);
}

export const mcpOffHours: Rule<Record<string, never>> = {
  id: "mcp-off-hours",
  defaultSeverity: "low",
  defaultEnabled: false,
  explanation:
    "An MCP call outside the configured working hours: an agent left running, or someone else using the person's connection.",
  needs: [],
  settings: noSettings,
  evaluate(event, _facts, _settings, { workingHours: hours }) {
    if (!event.isMcp || withinWorkingHours(event.time, hours)) return null;
    const { day } = localTime(event.time, hours.timezone);
    return {
      title: `MCP call by ${who(event)} outside working hours (${day}, ${hours.timezone})`,
      detail: { tool: event.tool, timezone: hours.timezone },
    };
  },
};

import { z } from "zod";
import { historyTime } from "../../domain/plausible-time.js";
import { DAY, HOUR } from "../../time-units.js";
import type { Rule } from "../types.js";
import { who } from "../types.js";
import { positiveInt } from "./settings.js";

/** Days of hourly counts a person's baseline is taken from (and of history it needs). */
export const BASELINE_DAYS = 14;

const settings = z.strictObject({
  /** Alert above this many times the person's usual busy hour. */
  factor: z
    .number({ error: "expected a number above 1" })
    .gt(1, { error: "expected a number above 1" })
    .max(100, { error: "expected at most 100" })
    .default(3),
  /** …and above this many calls in the hour, whatever the baseline. */
  minCalls: positiveInt.default(60),
});

export type VolumeSpikeSettings = z.infer<typeof settings>;

/**
 * A person's usual busy hour: the 95th percentile of their calls per hour over the hours they
 * made any (hours without calls are left out: nights and weekends would make every working
 * hour look like a spike). 0 without any.
 */
export function usualHour(activeHours: readonly number[]): number {
  if (activeHours.length === 0) return 0;
  const sorted = [...activeHours].sort((a, b) => a - b);
  return sorted[Math.ceil(0.95 * sorted.length) - 1] ?? 0;
}

export const mcpVolumeSpike: Rule<VolumeSpikeSettings> = {
  id: "mcp-volume-spike",
  defaultSeverity: "medium",
  defaultEnabled: true,
  explanation:
    "A person's MCP calls in the last hour are far above their own usual busy hour of the past 14 days: an agent left running, a bulk read, or someone else using their connection.",
  needs: ["hourly"],
  settings,
  evaluate(event, facts, s) {
    const hourly = facts.hourly;
    if (!event.isMcp || !event.userId || !hourly || hourly.firstCall === null) return null;
    if (historyTime(event, event.ingestedAt) - hourly.firstCall < BASELINE_DAYS * DAY) return null;
    const usual = usualHour(hourly.activeHours);
    const threshold = Math.max(s.minCalls, s.factor * usual);
    if (hourly.lastHour <= threshold) return null;
    return {
      title: `${hourly.lastHour} MCP calls by ${who(event)} in an hour, against ${usual} in their usual busy hour`,
      figure: hourly.lastHour,
      ...(hourly.lastHourEnd === undefined
        ? {}
        : { counted: { from: hourly.lastHourEnd - HOUR, to: hourly.lastHourEnd } }),
      detail: {
        calls: hourly.lastHour,
        usualHour: usual,
        threshold: Math.ceil(threshold),
        factor: s.factor,
        minCalls: s.minCalls,
      },
    };
  },
};

import type { Severity } from "../domain.js";

export const HOUR = 3_600_000;

/** The start of the clock hour `ms` falls in: the budget's unit. */
export const hourOf = (ms: number): number => Math.floor(ms / HOUR) * HOUR;

/**
 * The channel's budget: at most `maxPerHour` alert messages an hour per organization; past it an
 * alert goes into the hour's roll-up message instead. High-severity alerts always post.
 */
export function budgetFor(
  severity: Severity,
  postedThisHour: number,
  maxPerHour: number,
): "post" | "rollup" {
  return severity === "high" || postedThisHour < maxPerHour ? "post" : "rollup";
}

/**
 * What the channel would show of alerts raised over time: messages per day (alerts posted alone,
 * plus one roll-up per hour that had any), for `rules test` and the noise benchmark.
 */
export function channelPlan(
  alerts: ReadonlyArray<{ readonly at: number; readonly severity: Severity }>,
  maxPerHour: number,
  dayOf: (ms: number) => string,
): { perDay: Map<string, number>; posted: number; rolledUp: number; rollups: number } {
  const perDay = new Map<string, number>();
  const byHour = new Map<number, number>();
  const rollupHours = new Set<number>();
  let posted = 0;
  let rolledUp = 0;
  for (const alert of [...alerts].sort((a, b) => a.at - b.at)) {
    const hour = hourOf(alert.at);
    const count = byHour.get(hour) ?? 0;
    const day = dayOf(alert.at);
    if (budgetFor(alert.severity, count, maxPerHour) === "post") {
      byHour.set(hour, count + 1);
      posted++;
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    } else {
      rolledUp++;
      if (!rollupHours.has(hour)) {
        rollupHours.add(hour);
        perDay.set(day, (perDay.get(day) ?? 0) + 1);
      }
    }
  }
  return { perDay, posted, rolledUp, rollups: rollupHours.size };
}

import type { Severity } from "../domain/severity.js";
import { DAY, HOUR } from "../time-units.js";

/** The start of the clock hour `ms` falls in: the budget's unit. */
export const hourOf = (ms: number): number => Math.floor(ms / HOUR) * HOUR;

/** What the budget reads of an alert. */
export interface Budgeted {
  readonly severity: Severity;
  /** A tool or an AI tool new to the organization (Alert.aboutOrganization). */
  readonly aboutOrganization?: boolean;
}

/**
 * The channel's budget: at most `maxPerHour` alert messages an hour per organization; past it an
 * alert goes into the hour's roll-up message instead. High-severity alerts, and the
 * organization's firsts (a tool or an AI tool nobody in it used before), always post.
 */
export function budgetFor(
  alert: Budgeted,
  postedThisHour: number,
  maxPerHour: number,
): "post" | "rollup" {
  const always = alert.severity === "high" || alert.aboutOrganization === true;
  return always || postedThisHour < maxPerHour ? "post" : "rollup";
}

/**
 * An alert for the channel: `at` when it could first be posted, with the severity it had then
 * (the bot budgets it so); `highAt` when it became high, if later.
 */
export interface Planned extends Budgeted {
  readonly at: number;
  readonly highAt?: number;
}

/**
 * What the channel would show of alerts raised over time: messages per day (alerts posted alone,
 * plus one roll-up per hour that had any, plus each alert of a roll-up posted alone once it became
 * high, counted in the budget of its hour then), for `rules test` and the noise benchmark.
 */
export function channelPlan(
  alerts: readonly Planned[],
  maxPerHour: number,
  dayOf: (ms: number) => string,
): {
  perDay: Map<string, number>;
  posted: number;
  rolledUp: number;
  rollups: number;
  postedAlone: number;
} {
  const perDay = new Map<string, number>();
  const byHour = new Map<number, number>();
  const rollupHours = new Set<number>();
  const inRollup = new Set<Planned>();
  let posted = 0;
  let rolledUp = 0;
  let postedAlone = 0;
  const message = (at: number) => {
    const day = dayOf(at);
    perDay.set(day, (perDay.get(day) ?? 0) + 1);
  };
  // Each alert when it could be posted, then, if it turned high later, when it did.
  const moments = alerts.flatMap((alert) => [
    { at: alert.at, alert, high: false },
    ...(alert.highAt === undefined ? [] : [{ at: alert.highAt, alert, high: true }]),
  ]);
  for (const { at, alert, high } of moments.sort((a, b) => a.at - b.at)) {
    const hour = hourOf(at);
    const count = byHour.get(hour) ?? 0;
    if (high) {
      if (!inRollup.has(alert)) continue;
      byHour.set(hour, count + 1);
      postedAlone++;
      message(at);
    } else if (budgetFor(alert, count, maxPerHour) === "post") {
      byHour.set(hour, count + 1);
      posted++;
      message(at);
    } else {
      rolledUp++;
      inRollup.add(alert);
      if (!rollupHours.has(hour)) {
        rollupHours.add(hour);
        message(at);
      }
    }
  }
  return { perDay, posted, rolledUp, rollups: rollupHours.size, postedAlone };
}

/** What a channel its readers keep reading holds: messages a day on average, and on the worst day. */
export const READABLE = { meanPerDay: 10, worstDay: 25 } as const;

export interface Noise {
  /** The time counted, in days (a fraction when it is not whole days). */
  readonly days: number;
  readonly messages: number;
  readonly meanPerDay: number;
  readonly worst: { readonly day: string; readonly messages: number } | undefined;
  readonly posted: number;
  readonly rolledUp: number;
  readonly rollups: number;
  /** Alerts of roll-ups posted alone as well, once they became high. */
  readonly postedAlone: number;
}

/**
 * Messages a day over the time from `from` to `to` (every hour counts, the quiet ones too; less
 * than a day counts as one), and the UTC day of it with the most, of the alerts (raised in that
 * time) that would be posted, with the budget applied.
 */
export function noiseOf(
  alerts: readonly Planned[],
  maxPerHour: number,
  from: number,
  to: number,
): Noise {
  return sharedNoiseOf([alerts], maxPerHour, from, to);
}

/**
 * noiseOf for a channel several organizations post to: each organization's alerts under its own
 * hourly budget (the bot's is per organization), their messages added up day by day.
 */
export function sharedNoiseOf(
  organizations: ReadonlyArray<readonly Planned[]>,
  maxPerHour: number,
  from: number,
  to: number,
): Noise {
  const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const plans = organizations.map((alerts) => channelPlan(alerts, maxPerHour, dayOf));
  const perDay = new Map<string, number>();
  for (const plan of plans)
    for (const [day, count] of plan.perDay) perDay.set(day, (perDay.get(day) ?? 0) + count);
  let messages = 0;
  let worst: Noise["worst"];
  for (const day of daysBetween(from, to - 1)) {
    const count = perDay.get(day) ?? 0;
    messages += count;
    if (!worst || count > worst.messages) worst = { day, messages: count };
  }
  const days = Math.max(0, to - from) / DAY;
  const total = (of: "posted" | "rolledUp" | "rollups" | "postedAlone") =>
    plans.reduce((sum, plan) => sum + plan[of], 0);
  return {
    days,
    messages,
    meanPerDay: messages / Math.max(1, days),
    worst,
    posted: total("posted"),
    rolledUp: total("rolledUp"),
    rollups: total("rollups"),
    postedAlone: total("postedAlone"),
  };
}

/** The UTC days from `from` to `to`, both included, as YYYY-MM-DD. */
export function daysBetween(from: number, to: number): string[] {
  const days: string[] = [];
  for (let t = Math.floor(from / (24 * HOUR)) * 24 * HOUR; t <= to; t += 24 * HOUR)
    days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/** Whether a channel with this noise stays read, in one line. */
export function verdict(noise: Noise): string {
  const mean = noise.meanPerDay.toFixed(1);
  const worst = noise.worst ? `${noise.worst.messages} on ${noise.worst.day}` : "none";
  const within =
    noise.meanPerDay <= READABLE.meanPerDay && (noise.worst?.messages ?? 0) <= READABLE.worstDay;
  return within
    ? `readable: ${mean} messages a day on average, the worst day ${worst} (a channel stays read at ≤ ${READABLE.meanPerDay} a day and ≤ ${READABLE.worstDay} on its worst day)`
    : `too noisy: ${mean} messages a day on average, the worst day ${worst}; a channel stays read at ≤ ${READABLE.meanPerDay} a day and ≤ ${READABLE.worstDay} on its worst day: set modes (once, group, digest), raise minSeverity or lower maxAlertsPerHour`;
}

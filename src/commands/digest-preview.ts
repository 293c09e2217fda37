import { digestText } from "../digest/build.js";
import { type ComposeDeps, composeDigest, firstStartOf } from "../digest/compose.js";
import { periodStart, scheduledPeriodStart, scheduledTimes } from "../digest/periods.js";
import { UsageError } from "../errors.js";
import { HOUR } from "../time-units.js";

/** Which digest `digest --dry-run` prints: the next one as if posted now, the last, or a day's. */
export interface PreviewChoice {
  readonly kind: "daily" | "weekly";
  /** DIGEST_CRON or DIGEST_WEEKLY_CRON, named in errors as `variable`. */
  readonly cron: string;
  readonly variable: string;
  readonly timeZone: string;
  readonly which: { readonly at: "next" } | { readonly at: "last" } | { readonly day: string };
}

/** `day` (YYYY-MM-DD) as its midnight UTC, or a usage error. */
export function dayOf(day: string): number {
  const midnightUtc = Date.parse(`${day}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(midnightUtc))
    throw new UsageError("--date must be a day such as 2026-11-24");
  return midnightUtc;
}

/** The first scheduled time on `day` (YYYY-MM-DD) in the digest's time zone. */
function scheduledOn(day: string, cron: string, timeZone: string, variable: string): number {
  const midnightUtc = dayOf(day);
  const localDay = (ms: number) =>
    new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    }).format(ms);
  let candidate = midnightUtc - 15 * HOUR; // before that day begins in any zone
  for (let i = 0; i < 48; i++) {
    const next = scheduledTimes(cron, timeZone, candidate).next;
    if (localDay(next) === day) return next;
    if (localDay(next) > day) break;
    candidate = next;
  }
  throw new UsageError(`${variable} schedules no digest on ${day} in ${timeZone}`);
}

/** A time as the digest's plain text shows it: "2026-11-24 09:00 UTC". */
const plainDate = (ms: number) =>
  `${new Date(ms).toISOString().replace("T", " ").slice(0, 16)} UTC`;

/**
 * The chosen digest as text with its chart. A scheduled digest already recorded is printed as
 * recorded (what was posted); otherwise it is composed now over the period the bot gives it (see
 * `scheduledPeriodStart`). The next one, as if posted now, covers the time since the last
 * scheduled digest, else since the cron's time before.
 */
export async function previewDigest(
  deps: ComposeDeps,
  choice: PreviewChoice,
  now: number,
): Promise<{ text: string; chart: Buffer | null; composedSince?: number }> {
  const { kind, cron, timeZone } = choice;
  const records = deps.stores.digests;
  const next = "at" in choice.which && choice.which.at === "next";
  const end =
    "day" in choice.which
      ? scheduledOn(choice.which.day, cron, timeZone, choice.variable)
      : next
        ? now
        : scheduledTimes(cron, timeZone, now).previous;
  // A day to come, or today before its time: what it would print is half a period, or none.
  if ("day" in choice.which && end > now)
    throw new UsageError(
      `the ${kind} digest of ${choice.which.day} is not due until ${plainDate(end)}: digest --dry-run${kind === "weekly" ? " --weekly" : ""} previews the next one as if posted now`,
    );
  if (!next) {
    const recorded = records.byPeriod(deps.orgId, kind, end);
    if (recorded) {
      const state = recorded.ts ? "posted" : "not posted yet";
      return {
        text: `(the ${kind} digest recorded for this period, ${state})\n${digestText(recorded.message)}`,
        chart: recorded.chart,
      };
    }
  }
  const last = records.lastEnd(deps.orgId, kind, end);
  // A scheduled time's digest over the bot's period; the next as if posted now, since the last time.
  const since = next
    ? periodStart(cron, timeZone, end, last)
    : scheduledPeriodStart(cron, timeZone, end, last, firstStartOf(deps, kind));
  const { message, chart } = await composeDigest(deps, kind, since, end, { late: false });
  const intro = next
    ? `(preview: the next ${kind} digest as if posted now, covering the time since ${plainDate(since)}; nothing is posted)\n`
    : "";
  return { text: intro + digestText(message), chart, composedSince: since };
}

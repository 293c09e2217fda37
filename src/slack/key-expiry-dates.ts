import { DAY } from "../time-units.js";

/** Days before the expiry when the channel is warned. */
export const WARN_DAYS = [14, 7, 1] as const;
/** The day of `time`, as YYYY-MM-DD in UTC. */
export const isoDay = (time: number): string => new Date(time).toISOString().slice(0, 10);

/** Whole days left until `expires` (0 on the day it expires, negative after). */
export function daysLeft(expires: number, now: number): number {
  return Math.ceil((expires - now) / DAY);
}

/**
 * Whether the key read the audit log after its expiry day ended (`workedAt`: a poll that ended
 * well): then the date given is not the key's, most likely a renewed key's old one.
 */
function outlivedDate(expires: number, workedAt: number | null): boolean {
  return workedAt !== null && workedAt >= expires + DAY;
}

/** What the polls of one organization last said of the key. */
export interface KeyPolls {
  /** When a poll last ended well; null before one. */
  readonly workedAt: number | null;
  /** Whether the key was refused (401, 403) since. */
  readonly refused: boolean;
}

/**
 * What the polls of the organizations the key reads (undefined: one that has not said yet) say of
 * it once its expiry day is over: `reads` when one still reads the log after that day, `refused`
 * when every one is refused; else undefined, waiting for the others (other failures, a 429 or a
 * 5xx, say nothing of the key, and a refusal of one organization may be its own while another
 * still reads).
 */
export function keyVerdict(
  expires: number,
  polls: ReadonlyArray<KeyPolls | undefined>,
): "reads" | "refused" | undefined {
  if (polls.some((p) => p && !p.refused && outlivedDate(expires, p.workedAt))) return "reads";
  return polls.length > 0 && polls.every((p) => p?.refused) ? "refused" : undefined;
}

/** The start's warning for an expiry day already over, if it is. */
export function pastDateWarning(expires: number | undefined, now: number): string | undefined {
  if (expires === undefined || now < expires + DAY) return undefined;
  const day = isoDay(expires);
  return `ATLASSIAN_API_KEY_EXPIRES gives ${day} for the key, a date already past: set it to the expiry date of the key in use (Atlassian Administration → Settings → API keys); the alert channel is told once a poll says whether the key still works`;
}

/**
 * The warning due now, if any: the most urgent threshold reached and not yet posted, or the
 * expiry itself. Thresholds passed while the bot was down are not posted late one by one.
 */
export function dueWarning(
  expires: number,
  now: number,
  posted: ReadonlySet<number>,
): number | undefined {
  const left = daysLeft(expires, now);
  if (left <= 0) return posted.has(0) ? undefined : 0;
  const mostUrgent = WARN_DAYS.filter((days) => left <= days).at(-1);
  return mostUrgent !== undefined && !posted.has(mostUrgent) ? mostUrgent : undefined;
}

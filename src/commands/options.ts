import { UsageError } from "../errors.js";

/** A whole-number option from `min` to `max`, or `fallback` when absent. */
export function wholeOption(
  value: string | boolean | undefined,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== "string" || !/^\d+$/.test(value) || n < min || n > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
  }
  return n;
}

/**
 * What to do when no event is stored yet. Not `poll --once` into the bot's own file: the bot
 * started on it later would take the days between as live, and post them.
 */
export const NO_EVENTS_YET =
  "no events stored yet: the bot stores them as it runs; to try this first, read the history into a file of its own: DATABASE_PATH=./trial.db mcp-activity poll --once";

/** `--org` (or `org:`), checked against the organizations whose events are stored. */
export function storedOrgOption(chosen: string, stored: readonly string[]): string {
  if (stored.includes(chosen)) return chosen;
  throw new UsageError(
    stored.length === 0
      ? `no events of organization "${chosen.slice(0, 80)}" are stored (${NO_EVENTS_YET})`
      : `no events of organization "${chosen.slice(0, 80)}" are stored: the stored ones are ${stored.join(", ")}`,
  );
}

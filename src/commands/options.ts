import { UsageError } from "../errors.js";
import { idNamed } from "../organizations.js";
import { forTerminal, quotedVisibly } from "../terminal-text.js";

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

/**
 * `--org`'s value, without the spaces and line ends around it: an id read with
 * `--org "$(cat org-id.txt)"` from a file saved with Windows line ends ends in a carriage return.
 */
export function orgOption(value: string | boolean | undefined): string | undefined {
  return typeof value === "string" ? value.trim() : undefined;
}

/**
 * `--org` (or `org:`), checked against the organizations whose events are stored: the stored id
 * it names in any case.
 */
export function storedOrgOption(chosen: string, stored: readonly string[]): string {
  const found = idNamed(stored, chosen);
  if (found !== undefined) return found;
  const given = quotedVisibly(chosen.slice(0, 80));
  throw new UsageError(
    stored.length === 0
      ? `no events of organization ${given} are stored (${NO_EVENTS_YET})`
      : `no events of organization ${given} are stored: the stored ones are ${forTerminal(stored.join(", "))}`,
  );
}

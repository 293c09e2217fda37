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

/** `--org` (or `org:`), checked against the organizations whose events are stored. */
export function storedOrgOption(chosen: string, stored: readonly string[]): string {
  if (stored.includes(chosen)) return chosen;
  throw new UsageError(
    stored.length === 0
      ? `no events of organization "${chosen.slice(0, 80)}" are stored: none are yet (run mcp-activity poll --once)`
      : `no events of organization "${chosen.slice(0, 80)}" are stored: the stored ones are ${stored.join(", ")}`,
  );
}

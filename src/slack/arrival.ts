import type { Context } from "@slack/bolt";

/** The context key of how long ago Slack's request arrived (set before any listener runs). */
const SINCE_ARRIVAL = "sinceArrival";

/** Tells the listeners how long ago the request arrived: `since()` in milliseconds. */
export function markArrival(context: Context, since: () => number): void {
  context[SINCE_ARRIVAL] = since;
}

/**
 * Milliseconds since the request arrived at this app (HTTP mode): Slack's 3 s to acknowledge it
 * count from then, not from when its listener starts. 0 where unknown (Socket Mode).
 */
export function sinceArrival(context: Context): number {
  const since: unknown = context[SINCE_ARRIVAL];
  return typeof since === "function" ? Math.max(0, Number(since())) : 0;
}

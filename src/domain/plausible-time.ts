import { DAY, MINUTE } from "../time-units.js";

/** An event dated further ahead of when Atlassian processed it than this is wrongly dated. */
export const AHEAD_MS = 10 * MINUTE;
/** Days the audit log keeps: an event processed longer than that after its date is wrongly dated. */
export const AUDIT_LOG_DAYS = 180;
export const KEPT_MS = AUDIT_LOG_DAYS * DAY;

/**
 * When a call counts as made for a person's history: its own time, unless that time is no time
 * Atlassian could have logged it at (ahead of when it was processed, or older than the audit log
 * keeps), then when it was processed (`processedAt`, else when it was stored).
 */
export function historyTime(
  event: { readonly time: number; readonly processedAt: number | null },
  storedAt: number,
): number {
  const at = event.processedAt ?? storedAt;
  return event.time > at + AHEAD_MS || event.time < at - KEPT_MS ? at : event.time;
}

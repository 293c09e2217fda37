import type { StreamRequest } from "../atlassian/client.js";
import { AtlassianError } from "../atlassian/errors.js";
import type { Logger } from "../logger.js";
import { DAY, HOUR } from "../time-units.js";
import { oldestFrom } from "./poll-position.js";

/** How far a read by time refused as reaching past what the log keeps moves its `from` on. */
const STEP_MS = HOUR;

/** Said when a read by time from the oldest the log keeps is refused, and asked again later. */
export const OLDEST_REFUSED =
  "the audit log refused a read from the oldest time it keeps (400 ADMIN-400-3): asking again from an hour later, once; check this machine's clock (NTP)";

/**
 * The read by time to ask instead of `request`, refused with 400 ADMIN-400-3 (a date the log does
 * not take), when its `from` is within a day of the oldest the log keeps at `now` (Atlassian's
 * clock, see thereNow): that clock was off more than taken, or the log counts its 180 days
 * otherwise. An hour later; undefined for any other refusal, which is not read past.
 */
export function pastRefusedOldest(
  error: unknown,
  request: StreamRequest,
  now: number,
): StreamRequest | undefined {
  if (!(error instanceof AtlassianError) || error.kind !== "bad-request") return undefined;
  if (error.status !== 400 || error.apiCode !== "ADMIN-400-3") return undefined;
  if (request.cursor || request.from === undefined) return undefined;
  if (request.from > oldestFrom(now) + DAY) return undefined;
  return { ...request, from: request.from + STEP_MS };
}

/** One poll's read by time refused as reaching past what the log keeps: asked later, once. */
export class OldestRefused {
  private retried = false;

  constructor(private readonly log: Logger) {}

  /** The request to ask instead (see pastRefusedOldest), said; undefined after the first. */
  later(error: unknown, request: StreamRequest | undefined, now: number) {
    const later = request && !this.retried ? pastRefusedOldest(error, request, now) : undefined;
    if (!later) return undefined;
    this.retried = true;
    this.log.warn({ from: new Date(later.from ?? now).toISOString() }, OLDEST_REFUSED);
    return later;
  }
}

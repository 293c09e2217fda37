/**
 * When a receiver's `X-RateLimit-Reset` says its limit resets, in epoch ms. Collectors and the
 * gateways in front of them send it in three forms, told apart by size: a date (HTTP date or
 * ISO 8601), epoch seconds (GitHub's form; epoch ms from some), or seconds from now (a number too
 * small to be a date after 2001: 120 is two minutes, not 1970). Pure; the wait is bounded by its
 * user, as Retry-After's is.
 */

/** 2001-09-09 in epoch seconds: any smaller number is seconds from now. */
const EPOCH_SECONDS_FROM = 1e9;
/** …and in epoch ms. */
const EPOCH_MS_FROM = 1e12;

export function receiverResetAt(value: string, now: number): number | undefined {
  if (/^\d+(\.\d+)?$/.test(value)) {
    const n = Number(value);
    if (n >= EPOCH_MS_FROM) return n;
    if (n >= EPOCH_SECONDS_FROM) return n * 1000;
    return now + n * 1000;
  }
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : at;
}

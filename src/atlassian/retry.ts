/** Pure helpers that decide how long to wait before asking the API again. */

const BASE_MS = 1_000;
const CAP_MS = 30_000;

/** Exponential backoff with jitter: attempt 0 waits 0.5–1 s, doubling up to 15–30 s. */
export function backoffMs(attempt: number, random: () => number): number {
  const ceiling = Math.min(CAP_MS, BASE_MS * 2 ** attempt);
  return Math.round(ceiling * (0.5 + random() * 0.5));
}

/** When `X-RateLimit-Reset` says the limit resets, in epoch ms: the Atlassian API's form, ISO 8601. */
export function isoResetAt(value: string): number | undefined {
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : at;
}

/**
 * How long a 429 asks us to wait: `Retry-After` (seconds or an HTTP date), else
 * `X-RateLimit-Reset` (read by `resetAt`: by default ISO 8601, sometimes only to the minute),
 * else undefined.
 */
export function rateLimitWaitMs(
  headers: Headers,
  now: number,
  resetAt: (value: string, now: number) => number | undefined = isoResetAt,
): number | undefined {
  const retryAfter = headers.get("retry-after")?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.ceil(Number(retryAfter) * 1000);
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  const reset = headers.get("x-ratelimit-reset")?.trim();
  if (reset) {
    const at = resetAt(reset, now);
    // A reset already past (it may be rounded to the minute) says nothing: fall back to backoff.
    if (at !== undefined && at > now) return at - now;
  }
  return undefined;
}

/** A request about to be tried again, told to the client's listener (see onRetry). */
export interface Retry {
  readonly kind: string;
  /** What went wrong, as an operator reads it (`GET … took longer than 30 s`). */
  readonly message: string;
  /** This retry's number, from 1, and how many a request gets. */
  readonly retry: number;
  readonly of: number;
  readonly waitMs: number;
}

/** How a retry is said at warn: what went wrong, and what comes next. */
export function retryWords(retry: Retry): string {
  const wait = Math.ceil(retry.waitMs / 1000);
  return `${retry.message}; trying again in ${wait} s (retry ${retry.retry} of ${retry.of}; the next ones are logged at debug)`;
}

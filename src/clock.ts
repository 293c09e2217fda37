import { setTimeout as delay } from "node:timers/promises";

/** Node's timers take at most 2^31−1 ms and turn anything longer into 1 ms. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/** Time, injected: code reads "now" and waits only through a Clock, so tests control both. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Waits `ms`; resolves early (never rejects) when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * Milliseconds from any origin on a clock that is never stepped (NTP steps `now`): for how long
   * something has run. Without it, the system's (see monotonicNow).
   */
  monotonic?(): number;
}

/** `clock`'s monotonic reading, or the system's when it has none. */
export function monotonicNow(clock: Clock): number {
  return clock.monotonic?.() ?? performance.now();
}

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  sleep: async (ms, signal) => {
    try {
      await delay(Math.min(Math.max(0, ms), LONGEST_TIMER_MS), undefined, { signal });
    } catch (error) {
      if (!(error instanceof Error && error.name === "AbortError")) throw error;
    }
  },
};

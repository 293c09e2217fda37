import { setTimeout as delay } from "node:timers/promises";

/** Time, injected: code reads "now" and waits only through a Clock, so tests control both. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Waits `ms`; resolves early (never rejects) when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: async (ms, signal) => {
    try {
      await delay(ms, undefined, { signal });
    } catch (error) {
      if (!(error instanceof Error && error.name === "AbortError")) throw error;
    }
  },
};

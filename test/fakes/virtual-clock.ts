import type { Clock } from "../../src/clock.js";

/**
 * A clock whose time moves only when told or when code sleeps: a sleep advances time at once
 * and records how long was asked, so retries and backoffs run instantly and can be asserted.
 * A step back (`advance` by less than 0, as NTP steps a clock) leaves its monotonic reading.
 */
export class VirtualClock implements Clock {
  readonly sleeps: number[] = [];
  private elapsed = 0;

  constructor(private current: number = Date.UTC(2026, 10, 2, 12, 0, 0)) {}

  now(): number {
    return this.current;
  }

  advance(ms: number): void {
    this.current += ms;
    this.elapsed += Math.max(0, ms);
  }

  monotonic(): number {
    return this.elapsed;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    if (signal?.aborted) return;
    this.advance(ms);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

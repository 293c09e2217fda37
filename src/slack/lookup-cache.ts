import type { Clock } from "../clock.js";
import { classifySlackError } from "./failure.js";

/** Entries kept before stale ones are dropped. */
export const PRUNE_AT = 1_000;

/**
 * Look-ups kept for `ttlMs`, someone Slack does not know (its `notFound` error) as much as anyone,
 * and dropped once stale when many are kept, so the cache never grows unbounded.
 */
export class LookupCache<T> {
  private readonly entries = new Map<string, { value: T; at: number }>();

  constructor(private readonly o: { clock: Clock; ttlMs: number; notFound: string; none: T }) {}

  async get(key: string, fetch: () => Promise<T>): Promise<T> {
    const now = this.o.clock.now();
    const known = this.entries.get(key);
    if (known && now - known.at < this.o.ttlMs) return known.value;
    let value: T;
    try {
      value = await fetch();
    } catch (error) {
      if (classifySlackError(error).code !== this.o.notFound) throw error;
      value = this.o.none;
    }
    if (this.entries.size >= PRUNE_AT)
      for (const [old, entry] of this.entries)
        if (now - entry.at >= this.o.ttlMs) this.entries.delete(old);
    this.entries.set(key, { value, at: now });
    return value;
  }

  /** Look-ups kept now, stale ones too until the next prune. */
  get size(): number {
    return this.entries.size;
  }
}

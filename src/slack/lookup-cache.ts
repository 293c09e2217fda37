import type { Clock } from "../clock.js";
import { classifySlackError } from "./failure.js";

/** Entries kept before old ones are dropped. */
export const PRUNE_AT = 1_000;

/** How long past its freshness a look-up still answers while new look-ups fail. */
export const STALE_MS = 60 * 60_000;

/**
 * Look-ups kept for `ttlMs`, someone Slack does not know (its `notFound` error) as much as anyone.
 * Callers asking for one key at once share one look-up. While look-ups fail (a rate limit, an
 * outage), the last answer stays for STALE_MS past its freshness; with none, the failure is
 * thrown. Old entries are dropped when many are kept, so the cache never grows unbounded.
 */
export class LookupCache<T> {
  private readonly entries = new Map<string, { value: T; at: number }>();
  private readonly pending = new Map<string, Promise<T>>();

  constructor(private readonly o: { clock: Clock; ttlMs: number; notFound: string; none: T }) {}

  get(key: string, fetch: () => Promise<T>): Promise<T> {
    const known = this.entries.get(key);
    if (known && this.o.clock.now() - known.at < this.o.ttlMs) return Promise.resolve(known.value);
    let looking = this.pending.get(key);
    if (!looking) {
      looking = this.lookUp(key, fetch).finally(() => this.pending.delete(key));
      this.pending.set(key, looking);
    }
    return looking;
  }

  /** Look-ups kept now, stale ones too until the next prune. */
  get size(): number {
    return this.entries.size;
  }

  private async lookUp(key: string, fetch: () => Promise<T>): Promise<T> {
    let value: T;
    try {
      value = await fetch();
    } catch (error) {
      if (classifySlackError(error).code !== this.o.notFound) {
        const known = this.entries.get(key);
        if (known && this.o.clock.now() - known.at < this.o.ttlMs + STALE_MS) return known.value;
        throw error;
      }
      value = this.o.none;
    }
    const now = this.o.clock.now();
    if (this.entries.size >= PRUNE_AT)
      for (const [old, entry] of this.entries)
        if (now - entry.at >= this.o.ttlMs + STALE_MS) this.entries.delete(old);
    this.entries.set(key, { value, at: now });
    return value;
  }
}

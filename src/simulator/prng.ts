/** Deterministic hashing and a small PRNG: every simulated value derives from (seed, index, salt). */

/** murmur3's 32-bit finaliser: spreads every input bit over the output. */
function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** 32-bit FNV-1a of a string, finished with fmix32. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < text.length; k++) {
    h ^= text.charCodeAt(k);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** Hashes non-negative integers (up to 2^53) into 32 bits. */
export function hashInts(...parts: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    const high = Math.floor(part / 0x1_0000_0000) >>> 0;
    h = fmix32((h ^ (part >>> 0)) + Math.imul(high ^ 0x5bd1e995, 0x27d4eb2d));
  }
  return h;
}

const HEX = "0123456789abcdef";

/** `count` hex digits from a 32-bit hash (rehashed every 8 digits). */
export function hexFrom(hash: number, count: number): string {
  let out = "";
  let h = hash >>> 0;
  for (let k = 0; k < count; k++) {
    if (k > 0 && k % 8 === 0) h = fmix32(h + 0x6d2b79f5);
    out += HEX.charAt((h >>> (28 - 4 * (k % 8))) & 15);
  }
  return out;
}

/** mulberry32: fast, small state, good enough for synthetic data. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return at(items, this.int(items.length));
  }

  /** Picks by weight: entries are [value, weight]. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, weight] of entries) total += weight;
    let roll = this.next() * total;
    for (const [value, weight] of entries) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return at(entries, entries.length - 1)[0];
  }

  hex(count: number): string {
    return hexFrom(this.int(0x1_0000_0000), count);
  }
}

/** Index into a list that must not be out of range (a generator bug otherwise). */
export function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new RangeError(`index ${index} out of range (${items.length})`);
  return item;
}

/** A UUID-shaped string from a hash. */
export function uuidFrom(hash: number): string {
  const hex = hexFrom(hash, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

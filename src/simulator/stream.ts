/**
 * The org's generated events merged with items injected by tests, in processedAt order.
 * Positions (see cursor.ts) are found by arithmetic and binary search, never by scanning.
 */

import { eventSchema } from "../atlassian/schemas.js";
import { compareKeys, ORIGIN, type Position } from "./cursor.js";
import type { SyntheticOrg } from "./org.js";

export interface StreamItem {
  readonly key: Position;
  /** A generated AuditEvent, or whatever JSON a test injected. */
  readonly raw: unknown;
}

/** An item's JSON as UTF-8, as it appears in a page. */
export function itemJson(item: StreamItem): Buffer {
  return item instanceof GeneratedItem
    ? item.json()
    : Buffer.from(JSON.stringify(item.raw) ?? "null");
}

/** A generated event, built only when its value or JSON is asked for. */
class GeneratedItem implements StreamItem {
  private value: unknown;

  constructor(
    readonly key: Position,
    private readonly stream: EventStream,
    private readonly index: number,
  ) {}

  get raw(): unknown {
    this.value ??= this.stream.org.eventAt(this.index);
    return this.value;
  }

  json(): Buffer {
    return this.stream.generatedJson(this.index);
  }
}

export interface ValidEvent {
  id: string;
  attributes: { time: string; action: string; [key: string]: unknown };
  [key: string]: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** What the simulator counts as a valid event: a string id, a parseable time, an action. */
/** An event as the bot reads one (the schema it checks with): anything else is quarantined. */
function isValidEvent(raw: unknown): raw is ValidEvent {
  return eventSchema.safeParse(raw).success;
}

export class EventStream {
  private readonly injected: StreamItem[] = [];
  /** Generated events serialised ahead of their page's request. */
  private readonly prepared = new Map<number, Buffer>();
  /** Set by prepareUpTo: what is prepared stays until it is served. */
  private preparedAll = false;
  private nextSeq = 1;

  constructor(readonly org: SyntheticOrg) {}

  /** Adds raw items processed at `at` (stamped with processedAt when they are event-like). */
  inject(items: readonly unknown[], at: number): void {
    for (const item of items) {
      const key = { ms: at, seq: this.nextSeq++ };
      const raw =
        isObject(item) && isObject(item.attributes) && !("processedAt" in item.attributes)
          ? { ...item, attributes: { ...item.attributes, processedAt: new Date(at).toISOString() } }
          : item;
      this.injected.splice(this.firstInjectedAfter(key), 0, { key, raw });
    }
  }

  /** Up to `limit` items after `after` with processedAt <= until, those `keep` keeps (all). */
  page(
    after: Position,
    limit: number,
    until: number,
    keep: (item: StreamItem) => boolean = () => true,
  ): StreamItem[] {
    const items: StreamItem[] = [];
    let i = this.org.countAtOrBefore(after.ms);
    let j = this.firstInjectedAfter(after);
    while (items.length < limit) {
      const ms = this.org.processedAtOf(i);
      const injected = this.injected[j];
      let item: StreamItem;
      if (injected && injected.key.ms < ms) {
        if (injected.key.ms > until) break;
        item = injected;
        j++;
      } else {
        if (ms > until) break;
        item = new GeneratedItem({ ms, seq: 0 }, this, i);
        i++;
      }
      if (keep(item)) items.push(item);
    }
    return items;
  }

  /**
   * Serialises the `count` generated events after `after` before anyone asks for them, as a
   * server with its own machines would while the client stores the page it was just sent.
   */
  prepareAfter(after: Position, count: number): void {
    if (this.preparedAll) return;
    if (this.prepared.size > 4 * count) this.prepared.clear();
    const from = this.org.countAtOrBefore(after.ms);
    for (let i = from; i < from + count; i++) {
      if (!this.prepared.has(i)) this.prepared.set(i, serialise(this.org.eventAt(i)));
    }
  }

  /**
   * Serialises every generated event processed at or before `until` now, each kept until it is
   * served: serving a page then costs little more than writing it, as a remote server's pages cost
   * the client's machine nothing (for benchmarks that share the machine with the simulator).
   * Returns how many it prepared.
   */
  prepareUpTo(until: number): number {
    this.preparedAll = true;
    const end = this.org.countAtOrBefore(until);
    for (let i = 0; i < end; i++) {
      if (!this.prepared.has(i)) this.prepared.set(i, serialise(this.org.eventAt(i)));
    }
    return end;
  }

  /** The JSON of generated event `index`: prepared ahead, else made now. */
  generatedJson(index: number): Buffer {
    const ready = this.prepared.get(index);
    if (ready === undefined) return serialise(this.org.eventAt(index));
    this.prepared.delete(index);
    return ready;
  }

  /** The last `count` items at or before `position` (for the duplicate-overlap fault). */
  before(position: Position, count: number): StreamItem[] {
    const end = this.org.countAtOrBefore(position.ms);
    const generated: StreamItem[] = [];
    for (let i = Math.max(0, end - count); i < end; i++) {
      generated.push({ key: { ms: this.org.processedAtOf(i), seq: 0 }, raw: this.org.eventAt(i) });
    }
    const injectedEnd = this.firstInjectedAfter(position);
    const injected = this.injected.slice(Math.max(0, injectedEnd - count), injectedEnd);
    return [...generated, ...injected].sort((a, b) => compareKeys(a.key, b.key)).slice(-count);
  }

  /** One visible event by id (generated first, then injected), or undefined. */
  eventById(id: string, now: number): unknown {
    const index = this.org.indexOfId(id);
    if (index !== undefined && this.org.processedAtOf(index) <= now) return this.org.eventAt(index);
    return this.injected.find(
      (item) => item.key.ms <= now && isValidEvent(item.raw) && item.raw.id === id,
    )?.raw;
  }

  /** Valid events visible at `now`, in stream order, each id once (its first occurrence). */
  *validEventsUpTo(now: number): Generator<ValidEvent> {
    const fromInjected = new Set<string>();
    let after = ORIGIN;
    for (;;) {
      const items = this.page(after, 1000, now);
      for (const { key, raw } of items) {
        if (!isValidEvent(raw) || fromInjected.has(raw.id)) continue;
        if (key.seq > 0) {
          const index = this.org.indexOfId(raw.id);
          if (index !== undefined && this.org.processedAtOf(index) <= key.ms) continue;
          fromInjected.add(raw.id);
        }
        yield raw;
      }
      const last = items[items.length - 1];
      if (!last || items.length < 1000) return;
      after = last.key;
    }
  }

  /** How many items validEventsUpTo(now) yields, without generating the events. */
  countValidEventsUpTo(now: number): number {
    let count = this.org.countAtOrBefore(now);
    const seen = new Set<string>();
    for (const { key, raw } of this.injected) {
      if (key.ms > now || !isValidEvent(raw) || seen.has(raw.id)) continue;
      seen.add(raw.id);
      const index = this.org.indexOfId(raw.id);
      // A copy of a visible generated event adds nothing, whichever of the two comes first.
      if (index === undefined || this.org.processedAtOf(index) > now) count++;
    }
    return count;
  }

  private firstInjectedAfter(position: Position): number {
    let low = 0;
    let high = this.injected.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const item = this.injected[mid];
      if (item && compareKeys(item.key, position) <= 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

function serialise(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

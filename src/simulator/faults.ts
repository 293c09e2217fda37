/** One-shot faults the simulator applies to the next matching requests, in the order queued. */
import { errorReply, isoReset, jsonReply, type Reply } from "./replies.js";

export type GarbageVariant = "data-not-array" | "string-items" | "missing-fields";

export type Fault =
  /** 429 with `Retry-After` and/or `X-RateLimit-Reset` (ISO 8601), or neither header. */
  | {
      kind: "rate-limit";
      retryAfterSeconds?: number;
      resetAfterSeconds?: number;
      resetToMinute?: boolean;
    }
  /** 500 `ADMIN-500-1`. */
  | { kind: "server-error" }
  /** Any status and body, e.g. a proxy's 502 HTML page. */
  | { kind: "status"; status: number; body?: string; contentType?: string }
  /** Waits `ms` of real time, then answers normally (for client timeouts). */
  | { kind: "delay"; ms: number }
  /** 200 with half the JSON; `abort` announces the full length and cuts the connection instead. */
  | { kind: "truncated"; abort?: boolean }
  /** 200 with valid JSON that is not a good page; its `meta.next` does not move the position. */
  | { kind: "garbage"; variant: GarbageVariant }
  /** Repeats the last `count` items before the cursor at the start of this page. */
  | { kind: "duplicates"; count: number };

export type FaultKind = Fault["kind"];

export interface FaultOptions {
  /** How many matching requests get it. Default 1. */
  readonly times?: number;
  /** "events-stream" (default) or "any" path. */
  readonly scope?: "events-stream" | "any";
}

interface Entry {
  readonly fault: Fault;
  readonly scope: "events-stream" | "any";
  remaining: number;
}

export class FaultQueue {
  private entries: Entry[] = [];

  add(fault: Fault, options: FaultOptions = {}): void {
    const times = options.times ?? 1;
    if (!Number.isInteger(times) || times < 1)
      throw new RangeError("times must be a positive integer");
    this.entries.push({ fault, scope: options.scope ?? "events-stream", remaining: times });
  }

  /** The fault for this request, consumed; undefined when none applies. */
  take(isEventsStream: boolean): Fault | undefined {
    const entry = this.entries.find((e) => e.scope === "any" || isEventsStream);
    if (!entry) return undefined;
    entry.remaining--;
    if (entry.remaining === 0) this.entries = this.entries.filter((e) => e !== entry);
    return entry.fault;
  }

  get pending(): number {
    return this.entries.reduce((sum, e) => sum + e.remaining, 0);
  }

  clear(): void {
    this.entries = [];
  }
}

/** The reply for faults that replace the response outright; undefined for the others. */
export function faultReply(fault: Fault, now: number): Reply | undefined {
  switch (fault.kind) {
    case "rate-limit": {
      const headers: Record<string, string> = {};
      if (fault.retryAfterSeconds !== undefined)
        headers["retry-after"] = String(fault.retryAfterSeconds);
      if (fault.resetAfterSeconds !== undefined) {
        headers["x-ratelimit-reset"] = isoReset(
          now + fault.resetAfterSeconds * 1000,
          fault.resetToMinute,
        );
      }
      return errorReply(429, "ADMIN-429-1", "Rate limit exceeded", headers);
    }
    case "server-error":
      return errorReply(500, "ADMIN-500-1", "Internal server error (simulated)");
    case "status":
      return {
        status: fault.status,
        headers: { "content-type": fault.contentType ?? "text/html" },
        body: fault.body ?? `<html><body><h1>${fault.status}</h1></body></html>`,
      };
    default:
      return undefined;
  }
}

/** A 200 page of valid JSON that a careful client must refuse or skip. */
export function garbageReply(variant: GarbageVariant, next: string): Reply {
  const meta = { next, page_size: 3 };
  switch (variant) {
    case "data-not-array":
      return jsonReply(200, { data: { events: "not a list" }, meta: {}, links: {} });
    case "string-items":
      return jsonReply(200, { data: ["event-1", "event-2", "event-3"], meta, links: {} });
    case "missing-fields":
      return jsonReply(200, {
        data: [
          {
            type: "events",
            attributes: { time: "2026-01-05T08:00:00Z", action: "user_logged_in" },
          },
          { id: "garbage-no-time", type: "events", attributes: { action: "user_logged_in" } },
          { id: "garbage-no-action", type: "events", attributes: { time: "2026-01-05T08:00:00Z" } },
        ],
        meta,
        links: {},
      });
  }
}

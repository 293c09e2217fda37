/** The simulator's public surface: its options, what it records, and its handle. */
import type { Clock } from "../clock.js";
import type { Fault, FaultKind, FaultOptions } from "./faults.js";
import type { OrgOptions, SyntheticOrg } from "./org.js";
import type { EventStream, ValidEvent } from "./stream.js";

export interface SimulatorOptions extends OrgOptions {
  /** The key clients must send as `Authorization: Bearer <apiKey>`. */
  readonly apiKey: string;
  /** 0 (default): a free port. The server listens on 127.0.0.1 only. */
  readonly port?: number;
  /** Decides which events are visible (processedAt <= now). Default: the system clock. */
  readonly clock?: Pick<Clock, "now">;
  /** Answer 403 ADMIN-403-3 to every authenticated request. */
  readonly forbidden?: boolean;
  /** Repeat this many items before the cursor at the start of every cursor page. Default 0. */
  readonly duplicateOverlap?: number;
  /**
   * What `from` of events-stream filters on. Atlassian's text ("the earliest date and time of the
   * event") settles neither. `processedAt` (default); `time`: a read by time starts at `from` by
   * processing time (an event is processed after it happens) and leaves out the events that
   * happened before `from`, on the pages its cursors lead to as well.
   */
  readonly fromFilters?: "processedAt" | "time";
  /** The X-RateLimit-Limit advertised (not enforced) per minute. Default 1000. */
  readonly rateLimitPerMinute?: number;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly authorizationPresent: boolean;
  /** `Authorization: Bearer <the current apiKey>`. */
  readonly authorized: boolean;
  /** Simulator clock time when it arrived. */
  readonly at: number;
  /** The status answered (0 while the answer is pending). */
  status: number;
  /** The injected fault this request consumed, if any. */
  fault?: FaultKind;
}

export interface Simulator {
  /** `http://127.0.0.1:<port>`: use as the API base URL. */
  readonly url: string;
  readonly port: number;
  readonly orgId: string;
  readonly org: SyntheticOrg;
  readonly stream: EventStream;
  readonly requests: readonly RecordedRequest[];
  clearRequests(): void;
  injectFault(fault: Fault, options?: FaultOptions): void;
  clearFaults(): void;
  readonly pendingFaults: number;
  /** Adds raw JSON items processed at the clock's now, after everything already visible. */
  injectEvents(items: readonly unknown[]): void;
  setForbidden(forbidden: boolean): void;
  setApiKey(apiKey: string): void;
  setDuplicateOverlap(count: number): void;
  /** Every cursor issued so far is rejected with 400 ADMIN-400-1 from now on. */
  expireCursors(): void;
  /** Valid events visible at `now` (default: the clock's now), each id once, in stream order. */
  validEventsUpTo(now?: number): Generator<ValidEvent>;
  countValidEventsUpTo(now?: number): number;
  close(): Promise<void>;
}

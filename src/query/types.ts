/** The parsed query and the parser's answers. */

import type { AlertStatus } from "../domain/alert.js";
import type { ToolClass } from "../domain/event.js";
import type { QueryAuth } from "./keys.js";
import type { QueryError } from "./problems.js";

export type UserRef =
  | { readonly kind: "me" }
  | { readonly kind: "slack"; readonly id: string }
  | { readonly kind: "text"; readonly value: string };

export interface Query {
  users: UserRef[];
  tools: string[];
  classes: ToolClass[];
  products: string[];
  sites: string[];
  actions: string[];
  ips: string[];
  countries: string[];
  auth: QueryAuth[];
  rules: string[];
  statuses: AlertStatus[];
  /** Start of the window, inclusive (ms). */
  since: number;
  /** End of the window, exclusive (ms). */
  until: number;
  limit: number;
  format: "table" | "csv";
  words: string[];
  /** The since value as given ("7d", "2026-11-01"), or the default's; parses back to `since`. */
  sinceLabel: string;
  /** The until value as given; absent when the window ends now. */
  untilLabel?: string;
  /** The organization asked about, by id or name as given; absent: the default one. */
  org?: string;
}

export type ParseResult =
  | { readonly ok: true; readonly query: Query }
  | { readonly ok: false; readonly error: QueryError };

export interface ParseOptions {
  /** The current time, ms since the epoch. */
  readonly now: number;
  /** The reader's IANA time zone, for dates; unknown zones count as UTC. */
  readonly timeZone: string;
}

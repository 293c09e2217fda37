/**
 * A deterministic synthetic organization whose audit log is an infinite stream generated lazily:
 * event i is a pure function of (seed, i), processed at `start + i * intervalMs`.
 */

import { DAY, HOUR } from "../time-units.js";
import type { AuditEvent } from "./audit-json.js";
import { actionCatalog, type CatalogEntry, DEFAULT_MCP_ACTION_KEY } from "./catalog.js";
import type { GenContext } from "./common.js";
import { type Generated, generateAt } from "./generate.js";
import type { McpCallInfo } from "./mcp-call.js";
import { buildRoster, emailLocalPart, type Person, type Roster, type Site } from "./people.js";
import type { Incident, Workday } from "./plan.js";
import { hashInts, hashString, hexFrom, Rng, uuidFrom } from "./prng.js";
import { realisticCast } from "./workday.js";

export interface OrgOptions {
  /** Same seed, same org and same events. Default 1. */
  readonly seed?: number | string;
  /** Default: a UUID derived from the seed. */
  readonly orgId?: string;
  /** Default "Acme"; sites are named after it (`https://acme.atlassian.net`). */
  readonly orgName?: string;
  /** processedAt of event 0, epoch ms. Default 2026-01-05T08:00:00Z. */
  readonly start?: number;
  /** Gap between consecutive processedAt values, a positive integer (ms). Default 60 000. */
  readonly intervalMs?: number;
  /** The tool-call action key. Default "rovo_mcp_tool_called". */
  readonly mcpActionKey?: string;
  /**
   * Serve every action under a key of its own making (`act_3f9c1e2a`), as an organization whose
   * keys nobody published: only `/event-actions` display names say what they are. Default false.
   */
  readonly obfuscateActions?: boolean;
  /** How many people. Default 30. */
  readonly people?: number;
  /**
   * steady (default): every hour alike, a busy org for tests and benchmarks; realistic: working
   * days, quiet nights and weekends, a real company's rates and seeded incidents (see workday.ts).
   */
  readonly profile?: "steady" | "realistic";
  /** realistic: days of history before the seeded incidents begin (default 0). */
  readonly historyDays?: number;
}

export interface McpCallRecord extends McpCallInfo {
  readonly index: number;
  readonly id: string;
  readonly processedAt: number;
}

const DEFAULT_START = Date.UTC(2026, 0, 5, 8, 0, 0);
// An odd multiplier and its inverse modulo 2^32 hide that ids are sequential.
const SCRAMBLE = 0x2c1b3c6d;
const UNSCRAMBLE = inverseMod32(SCRAMBLE);
const ID_PATTERN =
  /^([0-9a-f]{8})-([0-9a-f]{4})-4([0-9a-f]{3})-([89ab][0-9a-f]{3})-([0-9a-f]{12})$/;

function inverseMod32(odd: number): number {
  let inverse = odd;
  for (let k = 0; k < 5; k++) inverse = Math.imul(inverse, 2 - Math.imul(odd, inverse));
  return inverse >>> 0;
}

/** How many of the ascending `values` are <= limit. */
function countUpTo(values: readonly number[], limit: number): number {
  let count = 0;
  while (count < values.length && (values[count] ?? 0) <= limit) count++;
  return count;
}

function cached<T>(cache: Map<number, T>, key: number, make: () => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    cache.set(key, value);
  }
  return value;
}

export class SyntheticOrg implements GenContext {
  readonly seed: number;
  readonly orgId: string;
  readonly orgName: string;
  readonly start: number;
  readonly intervalMs: number;
  readonly mcpActionKey: string;
  readonly roster: Roster;
  readonly authIndexes: readonly number[];
  readonly catalog: readonly CatalogEntry[];
  readonly workday: Workday | undefined;
  /** The key an action is served under (itself, unless obfuscated). */
  readonly actionKeyOf: (key: string) => string;
  private readonly adoption: readonly number[];
  private readonly usersByCount = new Map<number, readonly Person[]>();
  private readonly sitesByCount = new Map<number, readonly Site[]>();
  private readonly maskHigh: number;
  private readonly maskLow: number;

  constructor(options: OrgOptions = {}) {
    const { intervalMs = 60_000, start = DEFAULT_START, people = 30 } = options;
    if (!Number.isSafeInteger(intervalMs) || intervalMs < 1)
      throw new RangeError("intervalMs must be a positive integer");
    if (!Number.isSafeInteger(start)) throw new RangeError("start must be an integer (epoch ms)");
    if (!Number.isInteger(people) || people < 1)
      throw new RangeError("people must be a positive integer");
    const seed = options.seed ?? 1;
    this.seed = hashString(String(seed));
    this.orgId = options.orgId ?? uuidFrom(hashInts(this.seed, 0x0f9));
    this.orgName = options.orgName ?? "Acme";
    this.start = start;
    this.intervalMs = intervalMs;
    this.mcpActionKey = options.mcpActionKey ?? DEFAULT_MCP_ACTION_KEY;
    const slug = emailLocalPart(this.orgName).replace(/[^a-z0-9]+/g, "-") || "acme";
    const roster = buildRoster(this.seed, people, slug);
    this.workday =
      options.profile === "realistic"
        ? realisticCast(
            this.seed,
            roster,
            start,
            (ms) => this.countAtOrBefore(ms),
            options.historyDays ?? 0,
          )
        : undefined;
    this.roster = this.workday
      ? { ...roster, people: this.workday.people, serviceAccounts: this.workday.serviceAccounts }
      : roster;
    const rng = new Rng(hashInts(this.seed, 0xa17));
    // First authorizations of the Atlassian MCP app: one per site, the first ones near index 0.
    this.authIndexes = this.roster.sites.map(
      (_, s) => [1 + rng.int(4), 20 + rng.int(60), 1500 + rng.int(6000)][s] ?? 0,
    );
    const salt = this.seed;
    this.actionKeyOf = options.obfuscateActions
      ? (key) => `act_${hexFrom(hashInts(salt, hashString(key)), 8)}`
      : (key) => key;
    this.catalog = actionCatalog(this.mcpActionKey, this.actionKeyOf);
    this.adoption = this.roster.people
      .flatMap((p) => (p.mcpSince === null ? [] : [p.mcpSince]))
      .sort((a, b) => a - b);
    this.maskHigh = hashInts(this.seed, 0x1d1) & 0xffff;
    this.maskLow = hashInts(this.seed, 0x1d2);
  }

  mcpUsersAt(index: number): readonly Person[] {
    return cached(this.usersByCount, countUpTo(this.adoption, index), () =>
      this.roster.people.filter((p) => p.mcpSince !== null && p.mcpSince <= index),
    );
  }

  mcpSitesAt(index: number): readonly Site[] {
    const count = this.authIndexes.filter((at) => at < index).length;
    return cached(this.sitesByCount, count, () =>
      this.roster.sites.filter((_, s) => (this.authIndexes[s] ?? index) < index),
    );
  }

  processedAtOf(index: number): number {
    return this.start + index * this.intervalMs;
  }

  /** How many events have processedAt <= ms: they are the indexes 0 … n-1. */
  countAtOrBefore(ms: number): number {
    return ms < this.start ? 0 : Math.floor((ms - this.start) / this.intervalMs) + 1;
  }

  /** UUID-shaped; the last group is the index masked, so ids map back to indexes. */
  idAt(index: number): string {
    const hex = hexFrom(hashInts(this.seed, index, 0x1d), 18);
    const high = ((Math.floor(index / 0x1_0000_0000) ^ this.maskHigh) & 0xffff)
      .toString(16)
      .padStart(4, "0");
    const low = Math.imul((index >>> 0) ^ this.maskLow, SCRAMBLE) >>> 0;
    const variant = "89ab"[Number.parseInt(hex.slice(15, 16), 16) % 4] ?? "8";
    const tail = `${high}${low.toString(16).padStart(8, "0")}`;
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(12, 15)}-${variant}${hex.slice(15, 18)}-${tail}`;
  }

  /** The index whose id this is, or undefined. */
  indexOfId(id: string): number | undefined {
    const match = ID_PATTERN.exec(id);
    const tail = match?.[5];
    if (!tail) return undefined;
    const high = (Number.parseInt(tail.slice(0, 4), 16) ^ this.maskHigh) & 0xffff;
    const low = (Math.imul(Number.parseInt(tail.slice(4), 16), UNSCRAMBLE) ^ this.maskLow) >>> 0;
    const index = high * 0x1_0000_0000 + low;
    return this.idAt(index) === id ? index : undefined;
  }

  describe(index: number): Generated {
    if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`bad event index ${index}`);
    return generateAt(this, index, this.idAt(index), this.processedAtOf(index));
  }

  eventAt(index: number): AuditEvent {
    return this.describe(index).event;
  }

  /** Events [from, to) described. */
  *describeRange(from: number, to: number): Generator<Generated> {
    for (let i = from; i < to; i++) yield this.describe(i);
  }

  /** The tool calls among events [from, to). */
  *mcpCalls(from: number, to: number): Generator<McpCallRecord> {
    for (const g of this.describeRange(from, to)) {
      if (g.mcp)
        yield {
          ...g.mcp,
          index: g.index,
          id: g.event.id,
          processedAt: this.processedAtOf(g.index),
        };
    }
  }

  /** The tool calls visible at `now`. */
  mcpCallsUpTo(now: number): Generator<McpCallRecord> {
    return this.mcpCalls(0, this.countAtOrBefore(now));
  }

  /** The realistic profile's seeded incidents, with the ids of their events. */
  incidents(): Array<Incident & { readonly ids: readonly string[]; readonly at: number }> {
    return (this.workday?.incidents ?? []).map((incident) => {
      const at = this.start + incident.day * DAY + incident.hour * HOUR;
      const first = this.countAtOrBefore(at - 1);
      const ids = Array.from({ length: incident.events }, (_, k) => this.idAt(first + k));
      return { ...incident, ids, at };
    });
  }

  /** The Atlassian MCP app's first authorization in each site. */
  appAuthorizations(): { index: number; id: string; siteHostName: string }[] {
    return this.authIndexes.map((index, s) => ({
      index,
      id: this.idAt(index),
      siteHostName: this.roster.sites[s]?.siteHostName ?? "",
    }));
  }

  /** Every generated event is valid: those visible at `now`, in processedAt order. */
  *validEventsUpTo(now: number): Generator<AuditEvent> {
    const count = this.countAtOrBefore(now);
    for (let i = 0; i < count; i++) yield this.eventAt(i);
  }
}

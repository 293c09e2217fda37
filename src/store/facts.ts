import type { StoredEvent } from "../domain/event.js";
import { DAY, HOUR } from "../time-units.js";
import { BaselineReader } from "./baselines.js";
import { type Busiest, busiestWindow } from "./busiest-window.js";
import type { Db } from "./db.js";
import { FirstCalls, type SeenBefore, USER_MCP } from "./first-calls.js";
import { refOf as ref } from "./strings.js";

/** The history questions detection rules ask, answered as of one event (earlier events only). */
export class FactStore {
  private readonly recentCalls;
  private readonly recentReads;
  private readonly laterCall;
  private readonly callsAround;
  private readonly locatedSince;
  private readonly addressedSince;
  private readonly countrySince;
  private readonly subnetSince;
  private readonly callsBetween;
  private readonly tokenHistory;
  /** An account's calls in the week before a day, by account and day: read once a day. */
  private readonly weekBefore = new Map<string, number>();
  /** The history does not grow once fetched: counted once per account. */
  private readonly historyCounts = new Map<string, number>();
  /** The last event's calls in its hour: two rules ask it of the same event. */
  private lastHourOf:
    | { readonly seq: number; readonly calls: number; readonly end: number }
    | undefined;
  /** Personal baselines kept as events are stored (first calls per scope, calls per hour). */
  readonly baselines: BaselineReader;
  /** Whether a call is the first of its person, site, product, tool or AI tool. */
  private readonly firsts: FirstCalls;

  /** `baselines`: another reader of them (`rules test` reads hours older than those kept). */
  constructor(db: Db, baselines = new BaselineReader(db)) {
    this.baselines = baselines;
    this.firsts = new FirstCalls(db);
    // On event_rows with the interned refs looked up once per statement: through the `events`
    // view these ran 20 times slower on the 1M-event store (every row joined back to its text).
    // `seq`: the order of storage is never the index to search by here (a person's or a tool's
    // rows are). Without statistics SQLite took the index of MCP events by seq and read every
    // earlier MCP event of the organization: ~3 ms an event on a fresh file of 400,000 events.
    const mcp = USER_MCP;
    this.recentCalls = db.prepare<Record<string, unknown>, { n: number }>(
      `SELECT count(*) AS n FROM event_rows INDEXED BY event_rows_mcp_user WHERE ${mcp} AND time > @from AND time <= @time AND seq <= @seq`,
    );
    this.recentReads = db.prepare<Record<string, unknown>, { n: number }>(
      `SELECT count(DISTINCT resource) AS n FROM event_rows INDEXED BY event_rows_mcp_user WHERE ${mcp} AND time > @from AND time <= @time
         AND seq <= @seq AND tool_class IN (${ref("'read'")}, ${ref("'search'")}) AND resource IS NOT NULL`,
    );
    // A call stored after later ones (Atlassian processes some calls late): see `busiest`.
    this.laterCall = db.prepare(
      `SELECT 1 FROM event_rows INDEXED BY event_rows_mcp_user WHERE ${mcp} AND time > @time AND time < @until AND seq < @seq LIMIT 1`,
    );
    this.callsAround = db.prepare<Record<string, unknown>, { time: number; read: number | null }>(
      `SELECT time, CASE WHEN tool_class IN (${ref("'read'")}, ${ref("'search'")}) THEN resource END AS read
         FROM event_rows INDEXED BY event_rows_mcp_user WHERE ${mcp} AND time > @from AND time < @until AND seq <= @seq ORDER BY time`,
    );
    this.locatedSince = db.prepare(
      `SELECT 1 FROM event_rows INDEXED BY event_rows_mcp_user WHERE ${mcp} AND time >= @from AND seq < @seq AND country IS NOT NULL LIMIT 1`,
    );
    this.addressedSince = db.prepare(
      `SELECT 1 FROM event_rows INDEXED BY event_rows_mcp_user WHERE ${mcp} AND time >= @from AND seq < @seq AND ip IS NOT NULL LIMIT 1`,
    );
    this.countrySince = db.prepare(
      `SELECT 1 FROM event_rows INDEXED BY event_rows_mcp_user WHERE ${mcp} AND time >= @from AND seq < @seq AND country = ${ref("@country")} LIMIT 1`,
    );
    this.callsBetween = db.prepare<Record<string, unknown>, { n: number }>(
      `SELECT count(*) AS n FROM event_rows INDEXED BY event_rows_mcp_user WHERE ${mcp} AND time > @from AND time <= @to AND seq <= @seq`,
    );
    this.tokenHistory = db.prepare<Record<string, unknown>, { n: number }>(
      `SELECT count(*) AS n FROM event_rows INDEXED BY event_rows_mcp_user WHERE ${mcp} AND backfilled = 1 AND auth_kind = ${ref("'api-token'")}`,
    );
    this.subnetSince = db.prepare(
      `SELECT 1 FROM event_rows INDEXED BY event_rows_mcp_user WHERE ${mcp} AND time >= @from AND seq < @seq AND ip LIKE @prefix ESCAPE '\\' LIMIT 1`,
    );
  }

  /** See FirstCalls. */
  seenBefore(event: StoredEvent, judgedUpTo?: number): SeenBefore {
    return this.firsts.seenBefore(event, judgedUpTo);
  }

  /**
   * This person's MCP calls, and different resources read, in the busiest `windowMs` that holds
   * the event, among the calls stored so far. Usually the window ending at the event; for a call
   * stored after later ones (Atlassian processes some late), also those ending at a later call:
   * otherwise a burst whose middle arrives one poll late is never seen whole, by any of its calls.
   */
  recent(event: StoredEvent, windowMs: number): Busiest {
    return this.busiest(event, windowMs) ?? this.endingAt(event, windowMs);
  }

  /** The busiest window holding a call stored after later ones; undefined for any other call. */
  private busiest(event: StoredEvent, windowMs: number): Busiest | undefined {
    const base = { orgId: event.orgId, userId: event.userId, seq: event.seq };
    const until = event.time + windowMs;
    if (this.laterCall.get({ ...base, time: event.time, until }) === undefined) return undefined;
    const rows = this.callsAround.all({ ...base, from: event.time - windowMs, until });
    return busiestWindow(rows, event.time, windowMs);
  }

  /** The window ending at the event. */
  private endingAt(event: StoredEvent, windowMs: number): Busiest {
    const params = {
      orgId: event.orgId,
      userId: event.userId,
      seq: event.seq,
      time: event.time,
      from: event.time - windowMs,
    };
    return {
      calls: this.recentCalls.get(params)?.n ?? 0,
      distinctReads: this.recentReads.get(params)?.n ?? 0,
      callsEnd: event.time,
      readsEnd: event.time,
    };
  }

  /** This account's calls in the busiest hour holding the event, and its hourly average in the week before. */
  volume(event: StoredEvent): { lastHour: number; lastHourEnd: number; perHourBefore: number } {
    const base = { orgId: event.orgId, userId: event.userId, seq: event.seq };
    const { calls: lastHour, end: lastHourEnd } = this.lastHourWindow(event);
    const day = Math.floor(event.time / DAY);
    const key = `${event.orgId}|${event.userId}|${day}`;
    let week = this.weekBefore.get(key);
    if (week === undefined) {
      week =
        this.callsBetween.get({
          ...base,
          from: (day - 7) * DAY,
          to: day * DAY,
          seq: Number.MAX_SAFE_INTEGER,
        })?.n ?? 0;
      if (this.weekBefore.size > 10_000) this.weekBefore.clear();
      this.weekBefore.set(key, week);
    }
    return { lastHour, lastHourEnd, perHourBefore: week / (7 * 24) };
  }

  /** See FirstCalls. */
  toolSeen(
    event: StoredEvent,
    judgedUpTo?: number,
  ): { before: boolean; history: boolean; overtakes?: number } {
    return this.firsts.toolSeen(event, judgedUpTo);
  }

  /**
   * This person's MCP calls in the hour ending at the event (the event included), or in the
   * busiest hour holding it for a call stored after later ones (see `recent`).
   */
  lastHour(event: StoredEvent): number {
    return this.lastHourWindow(event).calls;
  }

  /** `lastHour`, and the end of that hour: its calls are those in (end − 1 h, end]. */
  lastHourWindow(event: StoredEvent): { calls: number; end: number } {
    if (this.lastHourOf?.seq === event.seq) return this.lastHourOf;
    const params = { orgId: event.orgId, userId: event.userId, seq: event.seq };
    const busiest = this.busiest(event, HOUR);
    const hour = busiest
      ? { calls: busiest.calls, end: busiest.callsEnd }
      : {
          calls:
            this.callsBetween.get({ ...params, from: event.time - HOUR, to: event.time })?.n ?? 0,
          end: event.time,
        };
    this.lastHourOf = { seq: event.seq, ...hour };
    return hour;
  }

  /** How many API-token MCP calls of this account the history fetched on first start holds. */
  tokenCallsInHistory(event: Pick<StoredEvent, "orgId" | "userId">): number {
    const key = `${event.orgId}|${event.userId}`;
    let n = this.historyCounts.get(key);
    if (n === undefined) {
      n = this.tokenHistory.get({ orgId: event.orgId, userId: event.userId })?.n ?? 0;
      this.historyCounts.set(key, n);
    }
    return n;
  }

  places(
    event: StoredEvent,
    lookbackMs: number,
  ): { located: boolean; addressed: boolean; countrySeen: boolean; subnetSeen: boolean } {
    const base = {
      orgId: event.orgId,
      userId: event.userId,
      seq: event.seq,
      from: event.time - lookbackMs,
    };
    const prefix = subnetPrefix(event.ip);
    return {
      located: this.locatedSince.get(base) !== undefined,
      addressed: this.addressedSince.get(base) !== undefined,
      countrySeen:
        event.country === null ||
        this.countrySince.get({ ...base, country: event.country }) !== undefined,
      subnetSeen: prefix === null || this.subnetSince.get({ ...base, prefix }) !== undefined,
    };
  }
}

/** A LIKE pattern for the address's /24 (IPv4) or first three groups (IPv6). */
function subnetPrefix(ip: string | null): string | null {
  if (!ip) return null;
  const escaped = ip.replace(/[\\%_]/g, (c) => `\\${c}`);
  if (/^\d+\.\d+\.\d+\.\d+$/.test(ip)) return `${escaped.split(".").slice(0, 3).join(".")}.%`;
  if (ip.includes(":")) return `${escaped.split(":").slice(0, 3).join(":")}:%`;
  return escaped;
}

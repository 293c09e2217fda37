import type { Statement } from "better-sqlite3";
import type { StoredEvent } from "../domain/event.js";
import { AHEAD_MS, historyTime, KEPT_MS } from "../domain/plausible-time.js";
import { DAY, HOUR } from "../time-units.js";
import { BaselineReader } from "./baselines.js";
import { type Busiest, busiestWindow } from "./busiest-window.js";
import type { Db } from "./db.js";
import { lazyStatements } from "./lazy-statements.js";
import { refOf as ref } from "./strings.js";

/** The history questions detection rules ask, answered as of one event (earlier events only). */
export class FactStore {
  private readonly anyBefore;
  private readonly siteBefore;
  private readonly productBefore;
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
  private readonly toolBefore;
  private readonly anyToolBefore;
  private readonly appBefore;
  /** By organization, a seq known to have an MCP call with a tool before it: so do all later ones. */
  private readonly historyFrom = new Map<string, number>();
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

  /** `baselines`: another reader of them (`rules test` reads hours older than those kept). */
  constructor(db: Db, baselines = new BaselineReader(db)) {
    this.baselines = baselines;
    // On event_rows with the interned refs looked up once per statement: through the `events`
    // view these ran 20 times slower on the 1M-event store (every row joined back to its text).
    // `seq`: the order of storage is never the index to search by here (a person's or a tool's
    // rows are). Without statistics SQLite took the index of MCP events by seq and read every
    // earlier MCP event of the organization: ~3 ms an event on a fresh file of 400,000 events.
    const mcp = `org = ${ref("@orgId")} AND is_mcp = 1 AND user_id = ${ref("@userId")}`;
    // Judged before the event: not itself, nor a call waiting to be judged again (an action newly
    // listed as MCP made it one) unless at or before `@judgedFrom`, where the queue is judged
    // oldest first. Otherwise a person whose calls were all listed late had no first call.
    // Prepared at first use: they read judge_again (0041), and an upgrade's tests open older files.
    const lazy = lazyStatements(db);
    const prepared = (sql: string) => () => lazy(sql);
    const judged = `seq <> @self AND (seq <= @judgedFrom OR NOT EXISTS
      (SELECT 1 FROM judge_again j WHERE j.org_id = @orgId AND j.seq = event_rows.seq))`;
    // Before it is before it in time, not in storage: Atlassian processes some calls late, and the
    // first call is the one made first. A call wrongly dated (historyTime) is before those stored
    // after it, as stored; `@time` of one is past every time (madeAt).
    const made = `(time <= @time OR coalesce(processed_delta, ingested_at - time) NOT BETWEEN ${-AHEAD_MS} AND ${KEPT_MS})`;
    this.anyBefore = prepared(
      `SELECT seq, backfilled FROM event_rows INDEXED BY event_rows_mcp_user WHERE ${mcp} AND seq < @seq AND ${judged} AND ${made} LIMIT 1`,
    );
    this.siteBefore = prepared(
      `SELECT seq, backfilled FROM event_rows INDEXED BY event_rows_mcp_user WHERE ${mcp} AND site_host = ${ref("@site")} AND seq < @seq AND ${judged} AND ${made} LIMIT 1`,
    );
    this.productBefore = prepared(
      `SELECT seq, backfilled FROM event_rows INDEXED BY event_rows_mcp_user WHERE ${mcp} AND product = ${ref("@product")} AND seq < @seq AND ${judged} AND ${made} LIMIT 1`,
    );
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
    // Both on the (org, tool, time) index of MCP rows: a seek, never a scan.
    const org = `org = ${ref("@orgId")} AND is_mcp = 1`;
    this.toolBefore = prepared(
      `SELECT seq, backfilled FROM event_rows INDEXED BY event_rows_mcp_tool WHERE ${org} AND tool = ${ref("@tool")} AND seq < @seq AND ${judged} AND ${made} LIMIT 1`,
    );
    // Any person's: an AI tool is new to the organization, not to each person who connects it.
    this.appBefore = prepared(
      `SELECT seq, backfilled FROM event_rows INDEXED BY event_rows_mcp_client WHERE ${org} AND client_app = ${ref("@app")} AND seq < @seq AND ${judged} AND ${made} LIMIT 1`,
    );
    this.anyToolBefore = db.prepare(
      `SELECT 1 FROM event_rows WHERE ${org} AND tool IS NOT NULL AND seq < @seq LIMIT 1`,
    );
    this.subnetSince = db.prepare(
      `SELECT 1 FROM event_rows INDEXED BY event_rows_mcp_user WHERE ${mcp} AND time >= @from AND seq < @seq AND ip LIKE @prefix ESCAPE '\\' LIMIT 1`,
    );
  }

  /**
   * Whether the person, their site, product and AI tool had MCP calls made before this one (see
   * `made`) and stored before it, or, for an event judged again (`judgedUpTo`: the rules had judged
   * every event up to it when its action was listed as MCP), any other already judged. Where none
   * was made before it but some were stored before it (it reached the audit log late), `overtakes`
   * names one of those, the first the index holds.
   */
  seenBefore(event: StoredEvent, judgedUpTo?: number): SeenBefore {
    const judged = { orgId: event.orgId, ...judgedAs(event, judgedUpTo) };
    const time = madeAt(event, judgedUpTo);
    const overtakes: { [K in SeenKind]?: number } = {};
    const seen = (kind: SeenKind, statement: Statement, params: object): boolean => {
      const look = lookBack(statement, { ...judged, ...params }, time);
      if (look.overtakes !== undefined) overtakes[kind] = look.overtakes;
      return look.seen;
    };
    const app = event.clientApp === null || seen("app", this.appBefore(), { app: event.clientApp });
    // An event that names no account is no person's: nothing in it is new to a person.
    if (event.userId === null) return { user: true, site: true, product: true, app, overtakes };
    const user = { userId: event.userId };
    return {
      user: seen("user", this.anyBefore(), user),
      app,
      site:
        event.siteHost === null ||
        seen("site", this.siteBefore(), { ...user, site: event.siteHost }),
      product:
        event.product === null ||
        seen("product", this.productBefore(), { ...user, product: event.product }),
      overtakes,
    };
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

  /**
   * Whether the tool was called before (see seenBefore for `judgedUpTo` and `overtakes`), and any
   * tool at all.
   */
  toolSeen(
    event: StoredEvent,
    judgedUpTo?: number,
  ): { before: boolean; history: boolean; overtakes?: number } {
    const known = this.historyFrom.get(event.orgId);
    let history = known !== undefined && known <= event.seq;
    if (!history) {
      history = this.anyToolBefore.get({ orgId: event.orgId, seq: event.seq }) !== undefined;
      if (history && (known === undefined || event.seq < known))
        this.historyFrom.set(event.orgId, event.seq);
    }
    const params = { orgId: event.orgId, tool: event.tool, ...judgedAs(event, judgedUpTo) };
    const { seen, overtakes } = lookBack(this.toolBefore(), params, madeAt(event, judgedUpTo));
    return { before: seen, history, ...(overtakes === undefined ? {} : { overtakes }) };
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

/** The kinds of first seenBefore answers. */
type SeenKind = "user" | "site" | "product" | "app";

/** What seenBefore answers: whether each was seen, and the calls a late first overtakes. */
export type SeenBefore = { readonly [K in SeenKind]: boolean } & {
  readonly overtakes: { readonly [K in SeenKind]?: number };
};

/**
 * When the event counts as made for `made`: past every time when it is wrongly dated (historyTime)
 * or judged again (`judgedUpTo`): judged after later calls because its action was listed as MCP
 * later, not because it reached the audit log late, it counts every call already judged as seen
 * before it and overtakes none.
 */
function madeAt(event: StoredEvent, judgedUpTo: number | undefined): number {
  if (judgedUpTo !== undefined) return Number.MAX_SAFE_INTEGER;
  return historyTime(event, event.ingestedAt) === event.time ? event.time : Number.MAX_SAFE_INTEGER;
}

/**
 * A look-up of FactStore's (a call of this kind judged before, `made` before `time`): whether one
 * was; if not, one of those judged before but made after it, by seq, when any (a backfilled one:
 * seen).
 */
function lookBack(
  statement: Statement,
  params: Record<string, unknown>,
  time: number,
): { seen: boolean; overtakes?: number } {
  if (statement.get({ ...params, time }) !== undefined) return { seen: true };
  if (time === Number.MAX_SAFE_INTEGER) return { seen: false };
  const stored = statement.get({ ...params, time: Number.MAX_SAFE_INTEGER }) as
    | { seq: number; backfilled: number }
    | undefined;
  if (stored === undefined) return { seen: false };
  // The history fetched on first start is what is new is new against, whenever its calls were made.
  return stored.backfilled === 1 ? { seen: true } : { seen: false, overtakes: stored.seq };
}

/**
 * The calls judged before `event` (see FactStore's `judged`): those stored before it, or, for an
 * event judged again, every call up to `judgedUpTo` but those still queued after it.
 */
function judgedAs(event: StoredEvent, judgedUpTo: number | undefined) {
  return judgedUpTo === undefined
    ? { seq: event.seq, self: event.seq, judgedFrom: 0 }
    : { seq: judgedUpTo + 1, self: event.seq, judgedFrom: event.seq };
}

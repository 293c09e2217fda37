import type { AuthKind, McpBasis, NormalizedEvent, ToolClass } from "../domain.js";
import { buildCatalog } from "../ingest/classify.js";
import { normalize } from "../ingest/normalize.js";
import { eventKey } from "./event-key.js";
import type { Db } from "./open.js";
import { decodeRaw, encodeRaw } from "./raw-codec.js";
import { StringTable } from "./strings.js";

/** A row of the `events` view (migrations/0010): the stored columns as text, raw compressed. */
export interface EventRow {
  seq: number;
  org_id: string;
  id: string;
  id_key: number;
  time: number;
  processed_at: number | null;
  action: string;
  is_mcp: number;
  mcp_basis: string | null;
  auth_kind: string;
  user_id: string | null;
  user_name: string | null;
  user_email: string | null;
  ip: string | null;
  country: string | null;
  site_host: string | null;
  product: string | null;
  client_app: string | null;
  tool: string | null;
  tool_class: string | null;
  resource: string | null;
  backfilled: number;
  ingested_at: number;
  actor: number | null;
  container: number | null;
  raw: Uint8Array;
}

export interface StoredEvent extends NormalizedEvent {
  readonly seq: number;
  readonly ingestedAt: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** An Atlassian id as stored: a lowercase UUID in 16 bytes, anything else as text. */
export function storedId(id: string): Buffer | string {
  return UUID.test(id) ? Buffer.from(id.replace(/-/g, ""), "hex") : id;
}

const iso = (ms: number) => {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? "" : date.toISOString();
};

/**
 * The text of the raw JSON's first `actor` object and `container` list, as sent: interned, they
 * let the compression refer to a person's or site's block instead of repeating it. Found by a
 * scan rather than a parse (it costs a fifth as much); whatever it finds, decoding gets the same.
 */
export function fragments(raw: string): { actor: string | null; container: string | null } {
  return { actor: valueAfter(raw, '"actor":'), container: valueAfter(raw, '"container":') };
}

/** The JSON object or array right after `key`, or null. */
function valueAfter(raw: string, key: string): string | null {
  const at = raw.indexOf(key);
  if (at < 0) return null;
  let i = at + key.length;
  while (raw[i] === " " || raw[i] === "\n" || raw[i] === "\r" || raw[i] === "\t") i++;
  const start = i;
  if (raw[i] !== "{" && raw[i] !== "[") return null;
  let depth = 0;
  for (; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 34) {
      // a string: skip to its closing quote
      for (i++; i < raw.length && raw.charCodeAt(i) !== 34; i++) if (raw.charCodeAt(i) === 92) i++;
    } else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      depth--;
      if (depth === 0) return raw.slice(start, i + 1);
    }
  }
  return null;
}

/** What the row holds besides raw, in the order the compression context lists it. */
interface Context {
  readonly actor: string | null;
  readonly container: string | null;
  readonly id: string;
  readonly time: number;
  readonly processedAt: number | null;
  readonly action: string;
  readonly userId: string | null;
  readonly userName: string | null;
  readonly userEmail: string | null;
  readonly country: string | null;
  readonly siteHost: string | null;
  readonly clientApp: string | null;
  readonly tool: string | null;
  readonly ip: string | null;
  readonly resource: string | null;
}

/** Text the row stores anyway: the raw copy refers to it instead of repeating it. */
function contextText(c: Context): string {
  return [
    c.actor,
    c.container,
    c.resource,
    c.ip,
    c.tool,
    c.clientApp,
    c.siteHost,
    c.country,
    c.userName,
    c.userEmail,
    c.userId,
    c.action,
    c.processedAt === null ? null : iso(c.processedAt),
    c.id,
    iso(c.time),
  ]
    .filter((part) => part !== null)
    .join("\u0000");
}

const NO_CATALOG = buildCatalog([]);

/** Events from rows of the `events` view (SELECT *). */
export function eventsFrom(db: Db, rows: readonly EventRow[]): StoredEvent[] {
  const strings = StringTable.of(db);
  return rows.map((row) => rowToEvent(strings, row));
}

/**
 * Rebuilds the event from its row: what the row stores (classification, people, place) wins;
 * the rest (actor, on-behalf-of, auth type, token label, city, message) is read from the raw JSON.
 */
function rowToEvent(strings: StringTable, row: EventRow): StoredEvent {
  const actor = strings.valueOrNull(row.actor);
  const container = strings.valueOrNull(row.container);
  const raw = decodeRaw(row.raw, contextText({ ...columnsOf(row), actor, container }));
  const read = normalize(
    JSON.parse(raw),
    {
      orgId: row.org_id,
      catalog: NO_CATALOG,
      backfillUntil: null,
    },
    raw,
  );
  const from = read.ok ? read.event : undefined;
  return {
    seq: row.seq,
    orgId: row.org_id,
    id: row.id,
    time: row.time,
    processedAt: row.processed_at,
    action: row.action,
    actorId: from?.actorId ?? null,
    actorName: from?.actorName ?? null,
    actorEmail: from?.actorEmail ?? null,
    authKind: row.auth_kind as AuthKind,
    authType: from?.authType ?? null,
    tokenLabel: from?.tokenLabel ?? null,
    onBehalfOfId: from?.onBehalfOfId ?? null,
    onBehalfOfName: from?.onBehalfOfName ?? null,
    onBehalfOfEmail: from?.onBehalfOfEmail ?? null,
    userId: row.user_id,
    userName: row.user_name,
    userEmail: row.user_email,
    ip: row.is_mcp === 1 ? row.ip : (from?.ip ?? null),
    country: row.country,
    city: from?.city ?? null,
    siteHost: row.site_host,
    product: row.product,
    isMcp: row.is_mcp === 1,
    mcpBasis: row.mcp_basis as McpBasis | null,
    clientApp: row.client_app,
    tool: row.tool,
    toolClass: row.tool_class as ToolClass | null,
    resource: row.is_mcp === 1 ? row.resource : (from?.resource ?? null),
    message: from?.message ?? null,
    backfilled: row.backfilled === 1,
    ingestedAt: row.ingested_at,
    raw,
  };
}

function columnsOf(row: EventRow): Omit<Context, "actor" | "container"> {
  return {
    id: row.id,
    time: row.time,
    processedAt: row.processed_at,
    action: row.action,
    userId: row.user_id,
    userName: row.user_name,
    userEmail: row.user_email,
    country: row.country,
    siteHost: row.site_host,
    clientApp: row.client_app,
    tool: row.tool,
    ip: row.ip,
    resource: row.resource,
  };
}

/** ip and resource are kept for MCP events (queries and rules read them); others read raw. */
function stored(event: NormalizedEvent): Omit<Context, "actor" | "container"> {
  return {
    ...event,
    ip: event.isMcp ? event.ip : null,
    resource: event.isMcp ? event.resource : null,
  };
}

type Value = string | number | Buffer | null;

const CLASSIFIED = [
  "processed_delta",
  "action",
  "is_mcp",
  "mcp_basis",
  "auth_kind",
  "user_id",
  "user_name",
  "user_email",
  "country",
  "site_host",
  "product",
  "client_app",
  "tool",
  "tool_class",
  "actor",
  "container",
  "ip",
  "resource",
  "raw",
] as const;

/** Event statements prepared once per connection. */
export class EventStore {
  private readonly strings: StringTable;
  private readonly insert;
  private readonly insertWithSeq;
  private readonly stored;
  private readonly person;
  private readonly update;
  private readonly counted;
  private readonly counts_;
  private readonly live;
  private readonly one;

  constructor(private readonly db: Db) {
    this.strings = StringTable.of(db);
    const columns = `org, id_key, id, time, ${CLASSIFIED.join(", ")}, backfilled, ingested_at`;
    const marks = Array(CLASSIFIED.length + 6)
      .fill("?")
      .join(", ");
    this.insert = db.prepare(`INSERT INTO event_rows (${columns}) VALUES (${marks})`);
    this.insertWithSeq = db.prepare(
      `INSERT INTO event_rows (seq, ${columns}) VALUES (?, ${marks})`,
    );
    this.stored = db
      .prepare<[number, number, Buffer | string], 1>(
        "SELECT 1 FROM event_rows WHERE id_key = ? AND +org = ? AND id = ?",
      )
      .pluck();
    this.person = db.prepare<[string, string, string, string]>(
      `INSERT INTO people (org_id, user_id, user_email, user_name) VALUES (?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    );
    this.update = db.prepare(
      `UPDATE event_rows SET ${CLASSIFIED.map((c) => `${c} = ?`).join(", ")} WHERE id_key = ? AND +org = ? AND id = ?`,
    );
    this.counted = db.prepare<[number, number, number, number | null, number]>(
      `INSERT INTO event_counts (org, events, mcp, newest_processed_at, max_seq) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (org) DO UPDATE SET events = events + excluded.events, mcp = mcp + excluded.mcp,
         newest_processed_at = CASE WHEN newest_processed_at IS NULL OR excluded.newest_processed_at > newest_processed_at
           THEN coalesce(excluded.newest_processed_at, newest_processed_at) ELSE newest_processed_at END,
         max_seq = max(max_seq, excluded.max_seq)`,
    );
    this.counts_ = db.prepare<
      [number],
      { events: number; mcp: number; newest: number | null; maxSeq: number }
    >(
      "SELECT events, mcp, newest_processed_at AS newest, max_seq AS maxSeq FROM event_counts WHERE org = ?",
    );
    this.one = db.prepare<[number], EventRow>("SELECT * FROM events WHERE seq = ?");
    this.live = db.prepare<[string, number, number], EventRow>(
      "SELECT * FROM events WHERE org_id = ? AND seq > ? AND backfilled = 0 ORDER BY seq LIMIT ?",
    );
  }

  /** The classified columns and raw of an event, as `CLASSIFIED` lists them. */
  private classified(event: NormalizedEvent): Value[] {
    const s = this.strings;
    const columns = stored(event);
    const { actor, container } = fragments(event.raw);
    return [
      event.processedAt === null ? null : event.processedAt - event.time,
      s.ref(event.action),
      event.isMcp ? 1 : 0,
      s.refOrNull(event.mcpBasis),
      s.ref(event.authKind),
      s.refOrNull(event.userId),
      s.refOrNull(event.userName),
      s.refOrNull(event.userEmail),
      s.refOrNull(event.country),
      s.refOrNull(event.siteHost),
      s.refOrNull(event.product),
      s.refOrNull(event.clientApp),
      s.refOrNull(event.tool),
      s.refOrNull(event.toolClass),
      s.refOrNull(actor),
      s.refOrNull(container),
      columns.ip,
      columns.resource,
      encodeRaw(event.raw, contextText({ ...columns, actor, container })),
    ];
  }

  /**
   * Inserts what is new; an id already stored (earlier in this call too) is skipped. Returns how
   * many were new. Call inside a transaction, so that nothing is written between look and insert.
   * `kept` (the migration) keeps each event's earlier seq and ingestion time.
   */
  insertMany(
    events: readonly NormalizedEvent[],
    ingestedAt: number,
    kept?: ReadonlyArray<{ readonly seq: number; readonly ingestedAt: number }>,
  ): number {
    this.strings.check();
    let added = 0;
    const people = new Set<string>();
    const tally = new Map<
      number,
      { events: number; mcp: number; newest: number | null; seq: number }
    >();
    events.forEach((event, i) => {
      const key = eventKey(event.orgId, event.id);
      const org = this.strings.ref(event.orgId);
      const id = storedId(event.id);
      if (this.stored.get(key, org, id) !== undefined) return;
      const row: Value[] = [org, key, id, event.time, ...this.classified(event)];
      const given = kept?.[i];
      row.push(event.backfilled ? 1 : 0, given?.ingestedAt ?? ingestedAt);
      let seq: number;
      if (given === undefined) seq = Number(this.insert.run(row).lastInsertRowid);
      else {
        this.insertWithSeq.run(given.seq, ...row);
        seq = given.seq;
      }
      added++;
      let t = tally.get(org);
      if (!t) {
        t = { events: 0, mcp: 0, newest: null, seq: 0 };
        tally.set(org, t);
      }
      t.events++;
      if (event.isMcp) t.mcp++;
      if (event.processedAt !== null && (t.newest === null || event.processedAt > t.newest))
        t.newest = event.processedAt;
      t.seq = Math.max(t.seq, seq);
      this.remember(event, people);
    });
    for (const [org, t] of tally) this.counted.run(org, t.events, t.mcp, t.newest, t.seq);
    return added;
  }

  /** Adds the person an MCP event was made for to `people`, once per call (`seen`). */
  private remember(event: NormalizedEvent, seen: Set<string>): void {
    if (!event.isMcp || event.userId === null) return;
    const person = [
      event.orgId,
      event.userId,
      event.userEmail ?? "",
      event.userName ?? "",
    ] as const;
    const text = person.join("\n");
    if (seen.has(text)) return;
    seen.add(text);
    this.person.run(...person);
  }

  /**
   * Rewrites the extracted columns of stored events (raw, backfilled and ingested_at stay; raw
   * is compressed again, against the new columns).
   */
  updateClassification(events: readonly NormalizedEvent[]): void {
    this.strings.check();
    const people = new Set<string>();
    for (const event of events) {
      const org = this.strings.lookup(event.orgId);
      if (org === undefined) continue;
      this.update.run(
        ...this.classified(event),
        eventKey(event.orgId, event.id),
        org,
        storedId(event.id),
      );
      this.remember(event, people);
    }
  }

  private toEvent = (row: EventRow): StoredEvent => rowToEvent(this.strings, row);

  /** Maps rows of the `events` view (SELECT *) to events. */
  events(rows: readonly EventRow[]): StoredEvent[] {
    return rows.map(this.toEvent);
  }

  /** Live (not backfilled) events stored after `seq`, oldest first. */
  liveAfter(orgId: string, seq: number, limit: number): StoredEvent[] {
    return this.live.all(orgId, seq, limit).map(this.toEvent);
  }

  bySeq(seq: number): StoredEvent | undefined {
    const row = this.one.get(seq);
    return row ? this.toEvent(row) : undefined;
  }

  /** The organizations with stored events. */
  orgs(): string[] {
    return this.db
      .prepare<[], { org_id: string }>(
        "SELECT s.value AS org_id FROM event_counts c JOIN strings s ON s.ref = c.org WHERE c.events > 0 ORDER BY s.value",
      )
      .all()
      .map((row) => row.org_id);
  }

  private figures(orgId: string) {
    const org = this.strings.lookup(orgId);
    return org === undefined ? undefined : this.counts_.get(org);
  }

  maxSeq(orgId: string): number {
    return this.figures(orgId)?.maxSeq ?? 0;
  }

  /** Kept with the events (event_counts), so reading them costs no scan. */
  counts(orgId: string): { events: number; mcp: number } {
    const row = this.figures(orgId);
    return { events: row?.events ?? 0, mcp: row?.mcp ?? 0 };
  }

  newestProcessedAt(orgId: string): number | null {
    return this.figures(orgId)?.newest ?? null;
  }

  /** Stored events in insertion order, a chunk at a time (for reclassify and replays). */
  *iterate(orgId: string, chunk = 1_000, from = 0): Generator<StoredEvent[]> {
    const page = this.db.prepare<[string, number, number], EventRow>(
      "SELECT * FROM events WHERE org_id = ? AND seq > ? ORDER BY seq LIMIT ?",
    );
    let after = from;
    for (;;) {
      const rows = page.all(orgId, after, chunk);
      if (rows.length === 0) return;
      after = rows.at(-1)?.seq ?? after;
      yield rows.map(this.toEvent);
    }
  }
}

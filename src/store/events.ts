import type {
  AuthKind,
  McpBasis,
  NormalizedEvent,
  StoredEvent,
  ToolClass,
} from "../domain/event.js";
import type { Db } from "./db.js";
import { eventKey } from "./event-key.js";

/** The events table, exactly as SQLite returns it. */
export interface EventRow {
  seq: number;
  org_id: string;
  id: string;
  id_key: number;
  time: number;
  processed_at: number | null;
  action: string;
  actor_id: string | null;
  actor_name: string | null;
  actor_email: string | null;
  auth_kind: string;
  auth_type: string | null;
  token_label: string | null;
  on_behalf_of_id: string | null;
  on_behalf_of_name: string | null;
  on_behalf_of_email: string | null;
  user_id: string | null;
  user_name: string | null;
  user_email: string | null;
  ip: string | null;
  country: string | null;
  city: string | null;
  site_host: string | null;
  product: string | null;
  is_mcp: number;
  mcp_basis: string | null;
  client_app: string | null;
  tool: string | null;
  tool_class: string | null;
  resource: string | null;
  message: string | null;
  backfilled: number;
  ingested_at: number;
  raw: string;
}

export function rowToEvent(row: EventRow): StoredEvent {
  return {
    seq: row.seq,
    orgId: row.org_id,
    id: row.id,
    time: row.time,
    processedAt: row.processed_at,
    action: row.action,
    actorId: row.actor_id,
    actorName: row.actor_name,
    actorEmail: row.actor_email,
    authKind: row.auth_kind as AuthKind,
    authType: row.auth_type,
    tokenLabel: row.token_label,
    onBehalfOfId: row.on_behalf_of_id,
    onBehalfOfName: row.on_behalf_of_name,
    onBehalfOfEmail: row.on_behalf_of_email,
    userId: row.user_id,
    userName: row.user_name,
    userEmail: row.user_email,
    ip: row.ip,
    country: row.country,
    city: row.city,
    siteHost: row.site_host,
    product: row.product,
    isMcp: row.is_mcp === 1,
    mcpBasis: row.mcp_basis as McpBasis | null,
    clientApp: row.client_app,
    tool: row.tool,
    toolClass: row.tool_class as ToolClass | null,
    resource: row.resource,
    message: row.message,
    backfilled: row.backfilled === 1,
    ingestedAt: row.ingested_at,
    raw: row.raw,
  };
}

const COLUMNS = [
  "org_id",
  "id",
  "time",
  "processed_at",
  "action",
  "actor_id",
  "actor_name",
  "actor_email",
  "auth_kind",
  "auth_type",
  "token_label",
  "on_behalf_of_id",
  "on_behalf_of_name",
  "on_behalf_of_email",
  "user_id",
  "user_name",
  "user_email",
  "ip",
  "country",
  "city",
  "site_host",
  "product",
  "is_mcp",
  "mcp_basis",
  "client_app",
  "tool",
  "tool_class",
  "resource",
  "message",
  "backfilled",
  "ingested_at",
  "raw",
] as const;

type Value = string | number | null;

/** The values of `COLUMNS`, in order: positional binding costs less than 32 named lookups. */
function values(event: NormalizedEvent, ingestedAt: number): Value[] {
  return [
    event.orgId,
    event.id,
    event.time,
    event.processedAt,
    event.action,
    event.actorId,
    event.actorName,
    event.actorEmail,
    event.authKind,
    event.authType,
    event.tokenLabel,
    event.onBehalfOfId,
    event.onBehalfOfName,
    event.onBehalfOfEmail,
    event.userId,
    event.userName,
    event.userEmail,
    event.ip,
    event.country,
    event.city,
    event.siteHost,
    event.product,
    event.isMcp ? 1 : 0,
    event.mcpBasis,
    event.clientApp,
    event.tool,
    event.toolClass,
    event.resource,
    event.message,
    event.backfilled ? 1 : 0,
    ingestedAt,
    event.raw,
  ];
}

function params(event: NormalizedEvent, ingestedAt: number): Record<string, Value> {
  const row = values(event, ingestedAt);
  const named = Object.fromEntries(COLUMNS.map((column, i) => [column, row[i] ?? null]));
  return { ...named, id_key: eventKey(event.orgId, event.id) };
}

/** Event statements prepared once per connection. */
export class EventStore {
  private readonly insert;
  private readonly stored;
  private readonly person;
  private readonly update;
  private readonly count;
  private readonly newest;
  private readonly live;
  private readonly one;
  private readonly max;

  constructor(private readonly db: Db) {
    this.insert = db.prepare(
      `INSERT INTO events (${COLUMNS.join(", ")}, id_key) VALUES (${COLUMNS.map(() => "?").join(", ")}, ?)`,
    );
    this.stored = db
      .prepare<[number, string, string], 1>(
        "SELECT 1 FROM events WHERE id_key = ? AND org_id = ? AND id = ?",
      )
      .pluck();
    this.person = db.prepare<[string, string, string, string]>(
      `INSERT INTO people (org_id, user_id, user_email, user_name) VALUES (?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    );
    const classified = COLUMNS.filter(
      (c) => !["org_id", "id", "raw", "ingested_at", "backfilled"].includes(c),
    );
    this.update = db.prepare(
      `UPDATE events SET ${classified.map((c) => `${c} = @${c}`).join(", ")} WHERE id_key = @id_key AND org_id = @org_id AND id = @id`,
    );
    this.count = db.prepare<[string], { n: number; mcp: number | null }>(
      "SELECT count(*) AS n, sum(is_mcp) AS mcp FROM events WHERE org_id = ?",
    );
    this.one = db.prepare<[number], EventRow>("SELECT * FROM events WHERE seq = ?");
    this.live = db.prepare<[string, number, number], EventRow>(
      "SELECT * FROM events WHERE org_id = ? AND seq > ? AND backfilled = 0 ORDER BY seq LIMIT ?",
    );
    this.max = db.prepare<[string], { seq: number | null }>(
      "SELECT max(seq) AS seq FROM events WHERE org_id = ?",
    );
    this.newest = db.prepare<[string], { at: number | null }>(
      "SELECT max(processed_at) AS at FROM events WHERE org_id = ?",
    );
  }

  /**
   * Inserts what is new; an id already stored (earlier in this call too) is skipped. Returns how
   * many were new. Call inside a transaction, so that nothing is written between look and insert.
   */
  insertMany(events: readonly NormalizedEvent[], ingestedAt: number): number {
    let added = 0;
    const people = new Set<string>();
    for (const event of events) {
      const key = eventKey(event.orgId, event.id);
      if (this.stored.get(key, event.orgId, event.id) !== undefined) continue;
      const row = values(event, ingestedAt);
      row.push(key);
      this.insert.run(row);
      added++;
      this.remember(event, people);
    }
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

  /** Rewrites the extracted columns of stored events (raw, backfilled and ingested_at stay). */
  updateClassification(events: readonly NormalizedEvent[]): void {
    const people = new Set<string>();
    for (const event of events) {
      this.update.run(params(event, 0));
      this.remember(event, people);
    }
  }

  /** Live (not backfilled) events stored after `seq`, oldest first. */
  liveAfter(orgId: string, seq: number, limit: number): StoredEvent[] {
    return this.live.all(orgId, seq, limit).map(rowToEvent);
  }

  bySeq(seq: number): StoredEvent | undefined {
    const row = this.one.get(seq);
    return row ? rowToEvent(row) : undefined;
  }

  /** The organizations with stored events. */
  orgs(): string[] {
    return this.db
      .prepare<[], { org_id: string }>("SELECT DISTINCT org_id FROM events ORDER BY org_id")
      .all()
      .map((row) => row.org_id);
  }

  maxSeq(orgId: string): number {
    return this.max.get(orgId)?.seq ?? 0;
  }

  counts(orgId: string): { events: number; mcp: number } {
    const row = this.count.get(orgId);
    return { events: row?.n ?? 0, mcp: row?.mcp ?? 0 };
  }

  newestProcessedAt(orgId: string): number | null {
    return this.newest.get(orgId)?.at ?? null;
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
      yield rows.map(rowToEvent);
    }
  }
}

import type {
  AuthKind,
  McpBasis,
  NormalizedEvent,
  StoredEvent,
  ToolClass,
} from "../domain/event.js";
import { buildCatalog } from "../ingest/classify.js";
import { reread } from "../ingest/normalize.js";
import type { ToolCatalogue } from "../ingest/tools.js";
import type { Db } from "./db.js";
import { decodeBlock } from "./raw-codec.js";

/**
 * Rows of the `events` view back to events: the stored columns, and the raw JSON of their
 * compressed blocks, decoded only when a field that lives there is asked for.
 */

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
  /** The operation a wrapper ran (migrations/0045); NULL too in rows stored before it. */
  operation: string | null;
  /** 1 when the tool was guessed from the message, 0 if not, NULL in rows stored before 0045. */
  tool_guessed: number | null;
  resource: string | null;
  backfilled: number;
  ingested_at: number;
  raw_block: number;
  raw_index: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** An Atlassian id as stored: a lowercase UUID in 16 bytes, anything else as text. */
export function storedId(id: string): Buffer | string {
  return UUID.test(id) ? Buffer.from(id.replace(/-/g, ""), "hex") : id;
}

const NO_CATALOG = buildCatalog([]);

/**
 * Blocks of raw JSON, read and decompressed once for the rows that share them (rows come in seq
 * order, blocks hold consecutive events). Ids are never reused, so a cached block stays right;
 * writers clear the cache anyway, in case their transaction rolls back.
 */
export class RawBlockReader {
  private readonly cache = new Map<number, string[]>();
  private readonly read;

  private constructor(db: Db) {
    this.read = db.prepare<[number], Buffer>("SELECT data FROM raw_blocks WHERE id = ?").pluck();
  }

  private static readonly readers = new WeakMap<Db, RawBlockReader>();

  static of(db: Db): RawBlockReader {
    let reader = RawBlockReader.readers.get(db);
    if (!reader) {
      reader = new RawBlockReader(db);
      RawBlockReader.readers.set(db, reader);
    }
    return reader;
  }

  raw(block: number, index: number): string {
    let raws = this.cache.get(block);
    if (!raws) {
      const data = this.read.get(block);
      if (data === undefined) throw new Error(`raw JSON block ${block} is missing`);
      raws = decodeBlock(data);
      if (this.cache.size >= 32) this.cache.delete(this.cache.keys().next().value as number);
      this.cache.set(block, raws);
    }
    const raw = raws[index];
    if (raw === undefined) throw new Error(`raw JSON block ${block} has no event ${index}`);
    return raw;
  }

  clear(): void {
    this.cache.clear();
  }
}

/** Events from rows of the `events` view (SELECT *). */
export function eventsFrom(db: Db, rows: readonly EventRow[]): StoredEvent[] {
  const blocks = RawBlockReader.of(db);
  return rows.map((row) => rowToEvent(() => blocks.raw(row.raw_block, row.raw_index), row));
}

/** The columns of a row its raw JSON is read again with. */
export type RereadRow = Pick<
  EventRow,
  "org_id" | "id" | "time" | "processed_at" | "action" | "is_mcp"
>;

/**
 * The event as its raw JSON reads. An MCP row's action is read as MCP again, so that its tool is
 * read again: a row stored before migration 0045 keeps the operation a wrapper ran and whether the
 * tool was guessed in the raw JSON only. `tools`: the catalogue it was classified with (the rules
 * file's with the shipped one; the shipped one when not given).
 */
export function rereadRow(row: RereadRow, raw: string, tools?: ToolCatalogue): NormalizedEvent {
  const catalog = row.is_mcp === 1 ? buildCatalog([], [row.action], tools) : NO_CATALOG;
  const { org_id: orgId, id, time, processed_at: processedAt, action } = row;
  return reread({ orgId, id, time, processedAt, action, raw }, catalog);
}

/** The columns that say what a call ran; `tool_guessed` NULL in rows stored before 0045. */
export type CallColumns = Pick<EventRow, "tool" | "operation" | "tool_guessed">;

/** What a call ran beyond its tool: the operation a wrapper ran, and whether the tool was guessed. */
export type CallDetail = Pick<NormalizedEvent, "innerTool" | "toolGuessed">;

/** What `callOperation` and `callGuessed` read a row stored before 0045 from: its raw JSON. */
export type CallReading = () => CallDetail;

/** A call that names no operation and whose tool was not guessed. */
export const NO_CALL_DETAIL: CallDetail = { innerTool: null, toolGuessed: false };

/**
 * What a call stored before migration 0045 ran, as its raw JSON read again (`event`) says, for
 * its row: nothing when that reads as another tool than the row stores (the rules file's tools or
 * the catalogue changed since), since what it ran and whether it was guessed belong to that other
 * reading; `reclassify` rewrites such a call whole. The bot stores this (UnfilledCallsStore), and
 * every reader reads it until then.
 */
export function storedCallDetail(row: Pick<EventRow, "tool">, event: NormalizedEvent): CallDetail {
  return event.tool === row.tool
    ? { innerTool: event.innerTool, toolGuessed: event.toolGuessed }
    : NO_CALL_DETAIL;
}

/**
 * The operation a wrapper ran: the row's, or, in a row stored before migration 0045, its raw
 * JSON's (storedCallDetail), until the bot stores it after its polls (UnfilledCallsStore) or
 * `reclassify` does.
 */
export function callOperation(row: CallColumns, reading: CallReading): string | null {
  if (row.tool === null) return null;
  return row.tool_guessed === null ? reading().innerTool : row.operation;
}

/** Whether the call's tool was guessed from the message: as `callOperation`, the row's or the raw JSON's. */
export function callGuessed(row: CallColumns, reading: CallReading): boolean {
  if (row.tool === null) return false;
  return row.tool_guessed === null ? reading().toolGuessed : row.tool_guessed === 1;
}

/**
 * Rebuilds the event from its row: what the row stores (classification, people, place) wins;
 * the rest (actor, on-behalf-of, auth type, token label, city, message, and ip and resource of
 * events that are not MCP) is read from the raw JSON, when first asked for: a page of query
 * results shows stored columns only, and so decompresses nothing. A row stored before migration
 * 0045 reads a wrapper's operation and whether its tool was guessed from the raw JSON too
 * (storedCallDetail), with the shipped tools: a call those read as another tool names neither.
 */
export function rowToEvent(readRaw: () => string, row: EventRow): StoredEvent {
  let text: string | undefined;
  let parsed: NormalizedEvent | undefined;
  const raw = () => {
    text ??= readRaw();
    return text;
  };
  const mcp = row.is_mcp === 1;
  const from = (): NormalizedEvent => {
    parsed ??= rereadRow(row, raw());
    return parsed;
  };
  const call = () => storedCallDetail(row, from());
  return {
    seq: row.seq,
    orgId: row.org_id,
    id: row.id,
    time: row.time,
    processedAt: row.processed_at,
    action: row.action,
    get actorId() {
      return from().actorId;
    },
    get actorName() {
      return from().actorName;
    },
    get actorEmail() {
      return from().actorEmail;
    },
    authKind: row.auth_kind as AuthKind,
    get authType() {
      return from().authType;
    },
    get tokenLabel() {
      return from().tokenLabel;
    },
    get onBehalfOfId() {
      return from().onBehalfOfId;
    },
    get onBehalfOfName() {
      return from().onBehalfOfName;
    },
    get onBehalfOfEmail() {
      return from().onBehalfOfEmail;
    },
    userId: row.user_id,
    userName: row.user_name,
    userEmail: row.user_email,
    get ip() {
      return mcp ? row.ip : from().ip;
    },
    country: row.country,
    get city() {
      return from().city;
    },
    siteHost: row.site_host,
    product: row.product,
    isMcp: mcp,
    mcpBasis: row.mcp_basis as McpBasis | null,
    clientApp: row.client_app,
    tool: row.tool,
    toolClass: row.tool_class as ToolClass | null,
    get innerTool() {
      return callOperation(row, call);
    },
    get toolGuessed() {
      return callGuessed(row, call);
    },
    get resource() {
      return mcp ? row.resource : from().resource;
    },
    get place() {
      return from().place;
    },
    get message() {
      return from().message;
    },
    backfilled: row.backfilled === 1,
    ingestedAt: row.ingested_at,
    get raw() {
      return raw();
    },
  };
}

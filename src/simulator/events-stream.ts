/** `GET /admin/v1/orgs/{orgId}/events-stream`: parameters, position, page. */
import { ORIGIN, type Position, positionBefore } from "./cursor.js";
import { type GarbageVariant, garbageReply } from "./faults.js";
import { errorReply, jsonReply, type Reply } from "./replies.js";
import { type EventStream, itemJson, type StreamItem } from "./stream.js";

const DEFAULT_LIMIT = 200;
const MAX_LIMIT = 500;

export interface Cursors {
  /** `timeFrom`: the `from` of the read the cursor goes on, when `from` filters on `time`. */
  encode(position: Position, timeFrom?: number): string;
  decode(cursor: string): { position: Position; timeFrom?: number } | "invalid" | "expired";
}

export interface StreamRequest {
  readonly stream: EventStream;
  readonly cursors: Cursors;
  readonly now: number;
  /** `http://127.0.0.1:port/admin/v1/orgs/{orgId}/events-stream`. */
  readonly url: string;
  readonly params: URLSearchParams;
  /** What `from` filters on (see SimulatorOptions.fromFilters). */
  readonly fromFilters: "processedAt" | "time";
  /** Items before the cursor to repeat at the start of the page (0: none). */
  readonly duplicates: number;
  readonly garbage?: GarbageVariant;
}

/** Epoch milliseconds; undefined when absent; NaN when not a non-negative integer. */
function epoch(text: string | null): number | undefined {
  if (text === null || text === "") return undefined;
  return /^\d{1,16}$/.test(text) ? Number(text) : Number.NaN;
}

/** An item's `time`, epoch ms; undefined when it has none that parses. */
function timeOf(item: StreamItem): number | undefined {
  const raw = item.raw as { attributes?: { time?: unknown } } | null;
  const time = typeof raw === "object" && raw !== null ? raw.attributes?.time : undefined;
  const ms = typeof time === "string" ? Date.parse(time) : Number.NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Sorted by processedAt. `from`/`to` filter on processedAt (inclusive); with a cursor, `from` is
 * ignored and `to` still applies. Only events with processedAt <= now are visible. With
 * `fromFilters: "time"`, `from` leaves out the events that happened before it, on the pages the
 * read's cursors lead to as well.
 */
export function eventsStreamReply(request: StreamRequest): Reply {
  const { params, cursors, stream } = request;
  const limitText = params.get("limit");
  const limit = limitText === null || limitText === "" ? DEFAULT_LIMIT : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    return errorReply(400, "ADMIN-400-2", `limit must be an integer from 1 to ${MAX_LIMIT}`);
  }
  const sortOrder = params.get("sortOrder");
  if (sortOrder && sortOrder.toLowerCase() !== "asc") {
    return errorReply(400, "ADMIN-400-2", "the simulator supports only sortOrder=asc");
  }
  const from = epoch(params.get("from"));
  const to = epoch(params.get("to"));
  if (
    Number.isNaN(from) ||
    Number.isNaN(to) ||
    (from !== undefined && to !== undefined && from > to)
  ) {
    return errorReply(400, "ADMIN-400-3", "from and to must be epoch milliseconds with from <= to");
  }
  const cursor = params.get("cursor");
  let position: Position = from === undefined ? ORIGIN : positionBefore(from);
  let timeFrom = request.fromFilters === "time" ? from : undefined;
  if (cursor) {
    const decoded = cursors.decode(cursor);
    if (decoded === "invalid") return errorReply(400, "ADMIN-400-1", "The cursor is not valid");
    if (decoded === "expired") return errorReply(400, "ADMIN-400-1", "The cursor has expired");
    ({ position, timeFrom } = decoded);
  }
  if (request.garbage) return garbageReply(request.garbage, cursors.encode(position, timeFrom));

  const until = Math.min(request.now, to ?? Number.POSITIVE_INFINITY);
  const since = timeFrom;
  const keep =
    since === undefined ? undefined : (item: StreamItem) => (timeOf(item) ?? since) >= since;
  const items = stream.page(position, limit, until, keep);
  const repeated =
    cursor && request.duplicates > 0 ? stream.before(position, request.duplicates) : [];
  // After the last item; an empty page keeps the position, so its cursor keeps working.
  const next = cursors.encode(items[items.length - 1]?.key ?? position, timeFrom);
  const nextQuery = new URLSearchParams({ cursor: next, limit: String(limit) });
  if (to !== undefined) nextQuery.set("to", String(to));
  const data = [...repeated, ...items];
  const meta = { next, page_size: data.length };
  const links = { self: `${request.url}?${params}`, next: `${request.url}?${nextQuery}` };
  // JSON.stringify({ data, meta, links }), from each item's JSON (prepared ahead when generated).
  const parts: Buffer[] = [Buffer.from('{"data":[')];
  for (const [i, item] of data.entries()) {
    if (i > 0) parts.push(COMMA);
    parts.push(itemJson(item));
  }
  parts.push(Buffer.from(`],"meta":${JSON.stringify(meta)},"links":${JSON.stringify(links)}}`));
  const reply = jsonReply(200, {});
  const after = items[items.length - 1]?.key ?? position;
  return {
    ...reply,
    body: Buffer.concat(parts),
    afterSent: () => stream.prepareAfter(after, limit),
  };
}

const COMMA = Buffer.from(",");

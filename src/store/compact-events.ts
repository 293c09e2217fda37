import { statfsSync } from "node:fs";
import { dirname } from "node:path";
import type { AuthKind, McpBasis, NormalizedEvent, ToolClass } from "../domain/event.js";
import { AppError } from "../errors.js";
import { placeOfRaw } from "../ingest/place.js";
import type { Db } from "./db.js";
import { EventStore } from "./events.js";

/** A row of the events table as migrations 0001–0009 left it (renamed events_v9 by 0010). */
interface RowV9 {
  seq: number;
  org_id: string;
  id: string;
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

function toEvent(row: RowV9): NormalizedEvent {
  return {
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
    innerTool: null,
    toolGuessed: false,
    resource: row.resource,
    place: placeOfRaw(row.raw),
    message: row.message,
    backfilled: row.backfilled === 1,
    raw: row.raw,
  };
}

/** Bytes an event takes once moved, every index included, with room to spare. */
const BYTES_PER_EVENT = 500;
/** WAL and slack beside the moved events. */
const HEADROOM = 128 * 1024 * 1024;
/**
 * Migration 0007 copies the events table in one transaction: its WAL takes every copied page and
 * every freed one (secure_delete overwrites them), about 1.9 times the database's size, and the
 * checkpoint then grows the file by 0.9 times its size: 2.8 times in all (measured with 20,000 to
 * 300,000 events), beside the file.
 */
const REBUILD_FACTOR = 3;

/** Rows of the first transaction of a move, before its pace is known. */
const FIRST_BATCH = 1_000;
/** Fewest rows a transaction moves, however slow the disk: one full block of raw JSON. */
const FEWEST = 128;

/**
 * Rows for the next transaction: as many as the last one's pace moves in `batchMs`, within
 * FEWEST and `batch`. All of a transaction's rows go in one insert, which groups each
 * organization's raw JSON into full blocks: smaller transactions leave more part-full ones.
 */
function nextBatch(rows: number, ms: number, batchMs: number, batch: number): number {
  if (ms <= 0) return batch;
  return Math.max(Math.min(FEWEST, batch), Math.min(batch, Math.floor((rows * batchMs) / ms)));
}

const mb = (bytes: number) => `${Math.ceil(bytes / 1024 / 1024)} MB`;

export interface MoveOptions {
  /** Most rows per transaction, and the events between two progress lines. */
  readonly batch?: number;
  /**
   * Milliseconds a transaction should take, so a stop between two is prompt on a slow disk: each
   * moves as many rows as the one before moved in that time (the first FIRST_BATCH).
   */
  readonly batchMs?: number;
  /** Milliseconds of a monotonic clock (tests pass their own). */
  readonly now?: () => number;
  /** Free bytes where the database lives (tests pretend a full disk). */
  readonly freeBytes?: (path: string) => number;
  readonly progress?: (line: string) => void;
}

function freeBytesAt(path: string): number {
  const stats = statfsSync(path);
  return Number(stats.bavail) * Number(stats.bsize);
}

/**
 * Says, before migration 0010 moves any event (before it changes anything, for `events`; between
 * its tables and the move, for `events_v9`), whether the disk can hold the moved events and the
 * compaction (which writes the database once more); throws DISK_SPACE with the amount if not.
 * No event to move needs no room.
 */
export function checkDisk(db: Db, table: string, options: MoveOptions = {}): void {
  if (db.name === ":memory:" || db.name === "") return;
  const exists = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
    .get(table);
  if (!exists) return;
  const total = (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  if (total === 0) return;
  const folder = dirname(db.name);
  const needed = neededToMove(total);
  const free = (options.freeBytes ?? freeBytesAt)(folder);
  const after =
    table === "events"
      ? "start again (nothing was changed)"
      : "start again: the move goes on from where it stopped";
  if (free < needed)
    throw new AppError(
      "DISK_SPACE",
      `migration 0010 (compact events) needs about ${mb(needed)} free beside the database (${total} events to move, then one compaction); ${folder} has ${mb(free)}: free some space and ${after}`,
    );
}

/** What migration 0010 needs free to move `total` events and compact the file. */
const neededToMove = (total: number) => 2 * total * BYTES_PER_EVENT + HEADROOM;

/**
 * Says, before migration 0007 rebuilds the events table (and before anything changes), whether
 * the disk can hold its copy, the copy's WAL, and then what 0010 needs beside the grown file;
 * throws DISK_SPACE with the amounts if not. No event to copy needs no room.
 */
export function checkDiskBeforeRebuild(db: Db, options: MoveOptions = {}): void {
  if (db.name === ":memory:" || db.name === "") return;
  const exists = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'")
    .get();
  if (!exists) return;
  const total = (db.prepare("SELECT count(*) AS n FROM events").get() as { n: number }).n;
  if (total === 0) return;
  // The pages in use: those retention freed are not copied.
  const pages =
    (db.pragma("page_count", { simple: true }) as number) -
    (db.pragma("freelist_count", { simple: true }) as number);
  const size = pages * (db.pragma("page_size", { simple: true }) as number);
  const folder = dirname(db.name);
  const needed = Math.max(REBUILD_FACTOR * size, size + neededToMove(total));
  const free = (options.freeBytes ?? freeBytesAt)(folder);
  if (free < needed)
    throw new AppError(
      "DISK_SPACE",
      `migrations 0007 and 0010 (rebuild, then compact the events) need about ${mb(needed)} free beside the database (a ${mb(size)} database whose ${total} events are copied in one transaction, then moved and compacted); ${folder} has ${mb(free)}: free some space and start again (nothing was changed)`,
    );
}

/**
 * Migration 0010's second half: moves the events of the old table into the compact one, a batch
 * per transaction that deletes what it copied (so a kill loses nothing and a restart goes on from
 * there, and the old table's pages are reused), then compacts the file (VACUUM) and drops the
 * emptied table. Checks first that the disk can hold the moved events and the compaction, which
 * writes the database once more. A step at a time: it pauses after each batch it commits and
 * before the compaction, where the one who drives it may stop (the rest is moved next time).
 */
export function* moveEventsV9(db: Db, options: MoveOptions = {}): Generator<void, void, void> {
  const old = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events_v9'")
    .get();
  if (!old) return;
  const progress = options.progress ?? (() => undefined);
  const batch = options.batch ?? 10_000;
  const batchMs = options.batchMs ?? 250;
  const now = options.now ?? (() => performance.now());
  const total = (db.prepare("SELECT count(*) AS n FROM events_v9").get() as { n: number }).n;
  // The schema's change is in the WAL (with secure_delete, every page of the indexes dropped):
  // given back to the disk before it is measured again.
  if (db.name !== ":memory:" && db.name !== "") db.pragma("wal_checkpoint(TRUNCATE)");
  checkDisk(db, "events_v9", options);
  const events = new EventStore(db);
  const page = db.prepare<[number], RowV9>("SELECT * FROM events_v9 ORDER BY seq LIMIT ?");
  const remove = db.prepare<[number]>("DELETE FROM events_v9 WHERE seq <= ?");
  // The oldest `size` rows, inserted at once (see nextBatch) and deleted from the old table.
  const moveBatch = db.transaction((size: number) => {
    const rows = page.all(size);
    const last = rows.at(-1);
    if (!last) return 0;
    events.insertMany(
      rows.map(toEvent),
      0,
      rows.map((row) => ({ seq: row.seq, ingestedAt: row.ingested_at })),
    );
    remove.run(last.seq);
    return rows.length;
  });
  const started = Date.now();
  let moved = 0;
  if (total > 0) progress(`migration 0010: moving ${total} events into the compact table`);
  let size = Math.min(FIRST_BATCH, batch);
  for (;;) {
    const begun = now();
    const n = moveBatch.immediate(size);
    if (n === 0) break;
    size = nextBatch(n, now() - begun, batchMs, batch);
    // A line after the first transaction (its pace), then each `batch` events, and at the end.
    const crossed = Math.floor((moved + n) / batch) > Math.floor(moved / batch);
    const first = moved === 0;
    moved += n;
    const seconds = Math.round((Date.now() - started) / 1000);
    if (first || crossed || moved >= total)
      progress(
        `migration 0010: ${moved} of ${total} events moved (${Math.floor((100 * moved) / total)}%, ${seconds} s)`,
      );
    yield;
  }
  if (total > 0) progress("migration 0010: compacting the database file (VACUUM)");
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.exec("VACUUM");
  db.exec("DROP TABLE events_v9");
  db.pragma("wal_checkpoint(TRUNCATE)");
  if (total > 0) progress(`migration 0010: done in ${Math.round((Date.now() - started) / 1000)} s`);
}

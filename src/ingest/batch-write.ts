import type { StreamPage } from "../atlassian/client.js";
import { UnreadableItem } from "../atlassian/unparsed-page.js";
import type { NormalizedEvent } from "../domain/event.js";
import type { ChangedEvent } from "../store/changed-events.js";
import type { PollState } from "../store/poll-state.js";
import type { QuarantinedItem } from "../store/quarantine.js";
import type { Repositories } from "../store/repositories.js";
import { nextTurn } from "../wait.js";
import { normalize } from "./normalize.js";

/** Events per transaction when live: a chunk takes about 2 ms on a store of a million events. */
const LIVE_CHUNK = 40;

/** Pages read but not yet committed: up to a batch of events, with the cursor after them. */
export interface Batch {
  readonly events: NormalizedEvent[];
  readonly bad: QuarantinedItem[];
  cursor: string | null;
}

export function emptyBatch(cursor: string | null): Batch {
  return { events: [], bad: [], cursor };
}

/**
 * Adds a page's items to the batch: each normalised, or kept for the quarantine with why it could
 * not be (one whose JSON does not parse, as received). Live, LIVE_CHUNK items a turn of the event
 * loop, as they are stored.
 */
export async function addPage(
  batch: Batch,
  page: StreamPage,
  context: Parameters<typeof normalize>[1],
  live: boolean,
): Promise<void> {
  for (let i = 0; i < page.items.length; i++) {
    if (live && i > 0 && i % LIVE_CHUNK === 0) await nextTurn();
    const item = page.items[i];
    const text = page.texts?.[i];
    if (item instanceof UnreadableItem) {
      batch.bad.push({ eventId: item.id, error: item.error, raw: item.text });
      continue;
    }
    const result = normalizeItem(item, context, text);
    if (result.ok) batch.events.push(result.event);
    else batch.bad.push({ eventId: result.id, error: result.error, raw: text ?? safeJson(item) });
  }
}

/** One item read as an event; whatever goes wrong with it (JSON nested too deep) quarantines it alone. */
function normalizeItem(
  item: unknown,
  context: Parameters<typeof normalize>[1],
  text: string | undefined,
): ReturnType<typeof normalize> {
  try {
    return normalize(item, context, text);
  } catch (error) {
    const id = (item as { id?: unknown } | null)?.id;
    return {
      ok: false,
      id: typeof id === "string" ? id : null,
      error: `could not be read: ${(error as Error).message}`,
    };
  }
}

/**
 * A batch stored: the poll state after it, how many events and broken items were new, and the
 * events that came again with other content than the version kept.
 */
export interface Written {
  readonly next: PollState;
  readonly added: number;
  readonly quarantined: number;
  readonly changed: readonly ChangedEvent[];
}

/**
 * What one transaction stored that was not there: events, and broken items quarantined; and how
 * many events it skipped that came again with other content.
 */
export interface Added {
  readonly events: number;
  readonly quarantined: number;
  readonly changed: number;
}

export type BatchStores = Pick<
  Repositories,
  "events" | "pollStates" | "quarantine" | "writeTransaction"
>;

/**
 * Stores the batch's events, its quarantined items and the cursor after them, the cursor in the
 * last transaction; the poll state after it, and how many events and quarantined items were new.
 * Live, the events go in chunks of LIVE_CHUNK, each its own transaction on its own turn of the
 * event loop, so a request never waits behind a long write; a crash between two chunks leaves the
 * cursor where it was, and the events already stored are skipped when read again. The backfill
 * writes the batch at once: fewer, larger transactions are faster. `committed` is told after each
 * transaction what it added: a chunk stays stored when a later one fails.
 */
export async function writeBatch(
  stores: BatchStores,
  state: PollState,
  batch: Batch,
  now: number,
  committed?: (added: Added) => void,
): Promise<Written> {
  // Where a read by time would start again. A processedAt ahead of this clock (a wrong one) counts
  // as now: taken as it is, such a read would skip everything processed before it.
  const newest = batch.events.reduce(
    (max, e) => Math.max(max, Math.min(e.processedAt ?? e.time, now)),
    Math.min(state.lastProcessedAt ?? 0, now),
  );
  const next: PollState = {
    ...state,
    cursor: batch.cursor,
    lastProcessedAt: newest > 0 ? newest : null,
  };
  const chunks = state.backfillDone ? chunked(batch.events, LIVE_CHUNK) : [batch.events];
  const last = chunks.pop() ?? [];
  let added = 0;
  const changed: ChangedEvent[] = [];
  // Taken out after each transaction committed (cleared before each: one rolled back noted nothing).
  const taken = (): number => {
    const noted = stores.events.changed.splice(0);
    changed.push(...noted);
    return noted.length;
  };
  for (const events of chunks) {
    stores.events.changed.length = 0;
    // The write lock first: no other writer between a look-up and its insert.
    const count = stores.writeTransaction(() => stores.events.insertMany(events, now));
    added += count;
    committed?.({ events: count, quarantined: 0, changed: taken() });
    await nextTurn();
  }
  let quarantined = 0;
  stores.events.changed.length = 0;
  const count = stores.writeTransaction(() => {
    const inserted = stores.events.insertMany(last, now);
    quarantined = stores.quarantine.add(state.orgId, batch.bad, now);
    stores.pollStates.save(next, now);
    return inserted;
  });
  added += count;
  committed?.({ events: count, quarantined, changed: taken() });
  return { next, added, quarantined, changed };
}

/** `items` in runs of at most `size`, in order; one empty run when there are none. */
function chunked<T>(items: readonly T[], size: number): T[][] {
  const runs: T[][] = [];
  for (let from = 0; from < items.length; from += size) runs.push(items.slice(from, from + size));
  return runs.length > 0 ? runs : [[]];
}

/** The item as JSON, when the page's own text of it is not known; what went wrong, when it cannot be. */
function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch (error) {
    return `(not kept: it could not be written as JSON: ${(error as Error).message})`;
  }
}

import { setImmediate } from "node:timers/promises";
import type { NormalizedEvent } from "../domain/event.js";
import type { Logger } from "../logger.js";
import type { ChangedEvent } from "../store/changed-events.js";
import type { EventStore } from "../store/events.js";
import type { QuarantineRow } from "../store/quarantine-recovery.js";
import type { Repositories } from "../store/repositories.js";
import type { McpCatalog } from "./classify.js";
import { type NormalizeContext, normalize } from "./normalize.js";

/** Items read again per transaction (each a few hundred microseconds): the bot's requests wait little. */
export const RECOVERY_CHUNK = 40;
/** A progress line every this many items read again. */
export const RECOVERY_PROGRESS_EVERY = 10_000;

export type RecoveryStores = Pick<
  Repositories,
  "events" | "pollStates" | "prunedBefore" | "quarantineRecovery" | "writeTransaction"
>;

export interface RecoveryOptions {
  readonly orgId: string;
  readonly stores: RecoveryStores;
  readonly log: Logger;
  readonly now: () => number;
  /** Goes on after this item (a pass of this process cut short); 0, the default: from the first. */
  readonly after?: number;
  readonly chunk?: number;
  /**
   * Told after each transaction that stored events (the poller's onCommit: the rules judge them)
   * or met items whose id is stored with other content (those, the poller's warning and metric).
   */
  readonly onStored?: (added: { events: number; changed: readonly ChangedEvent[] }) => void;
  /** Told every RECOVERY_PROGRESS_EVERY items read (default: a line in the log). */
  readonly progress?: (read: number, total: number) => void;
  /** Told the last item read after each committed transaction: where a pass cut short goes on. */
  readonly reached?: (after: number) => void;
  /** Asked between two transactions: true stops the pass (`after` says where it got to). */
  readonly stop?: () => boolean;
}

/**
 * What a pass did: items read again, those stored as events, those whose id was stored already
 * (the same content: taken out; other content: `changed`, kept), those of events retention
 * deleted (`pruned`: taken out), those left; stopped before the end, and the last item read
 * (where a pass cut short goes on).
 */
export interface Recovery {
  readonly after: number;
  readonly read: number;
  readonly recovered: number;
  readonly already: number;
  readonly changed: number;
  readonly pruned: number;
  readonly left: number;
  readonly stopped: boolean;
}

/** A chunk's readable items stored: how many were new, those with other content, the seqs to take out. */
interface Stored {
  readonly stored: number;
  readonly changed: ChangedEvent[];
  readonly taken: number[];
}

/**
 * Stores a chunk's readable items (in a transaction, `changed` emptied before it): in rounds where
 * each id comes once, so that an item skipped as stored with other content is known by its id.
 * It stays quarantined (the only copy of that content); the others are taken out.
 */
export function storeReadable(
  events: Pick<EventStore, "insertMany" | "changed">,
  items: { events: readonly NormalizedEvent[]; seqs: readonly number[] },
  now: number,
): Stored {
  const rounds: Array<{ events: NormalizedEvent[]; seqs: number[] }> = [];
  const times = new Map<string, number>();
  items.events.forEach((event, i) => {
    const n = times.get(event.id) ?? 0;
    times.set(event.id, n + 1);
    const round = rounds[n] ?? { events: [], seqs: [] };
    rounds[n] = round;
    round.events.push(event);
    round.seqs.push(items.seqs[i] as number);
  });
  let stored = 0;
  const changed: ChangedEvent[] = [];
  const taken: number[] = [];
  for (const round of rounds) {
    stored += events.insertMany(round.events, now);
    const noted = events.changed.splice(0);
    changed.push(...noted);
    const other = new Set(noted.map((c) => c.id));
    round.events.forEach((event, i) => {
      if (!other.has(event.id)) taken.push(round.seqs[i] as number);
    });
  }
  return { stored, changed, taken };
}

/** The end of the pass's line: items stored already, with other content, past retention, left. */
export function alreadyAndLeft(
  r: Pick<Recovery, "already" | "changed" | "pruned" | "left">,
): string {
  return [
    ...(r.already > 0 ? [`${r.already} stored already, taken out`] : []),
    ...(r.pruned > 0
      ? [`${r.pruned} of events retention deleted (older than RETENTION_DAYS), taken out`]
      : []),
    ...(r.changed > 0
      ? [
          `${r.changed} came again under an id already stored with other content, kept in the quarantine (see docs/troubleshooting.md)`,
        ]
      : []),
    `${r.left} stay quarantined`,
  ].join("; ");
}

/**
 * Parts the items read into those to store and the seqs of those whose event retention would have
 * deleted: happened, and processed (or stored, now), before `cut`, the time before which it
 * deleted the organization's events (RetentionStore's test). Stored, such an item would come back
 * as a late event, one retention may have deleted already (its id with other content kept in the
 * quarantine, received after it), judged by the rules past the retention's age.
 */
export function withinRetention(
  items: { events: readonly NormalizedEvent[]; seqs: readonly number[] },
  cut: number | undefined,
  now: number,
): { kept: { events: NormalizedEvent[]; seqs: number[] }; pruned: number[] } {
  const kept = { events: [] as NormalizedEvent[], seqs: [] as number[] };
  const pruned: number[] = [];
  items.events.forEach((event, i) => {
    const seq = items.seqs[i] as number;
    const old =
      cut !== undefined && event.time < cut && Math.min(event.processedAt ?? event.time, now) < cut;
    if (old) pruned.push(seq);
    else {
      kept.events.push(event);
      kept.seqs.push(seq);
    }
  });
  return { kept, pruned };
}

/**
 * The items of a chunk this build reads as events, and the seqs of their quarantine rows. An
 * item is read as a poll reads it (normalize), its raw text as the event's raw JSON, by the
 * backfill when `byBackfill` says the backfill received it (an event with no processing time is
 * then history, as it would have been); one whose text does not parse, or that this build
 * refuses too, stays.
 */
export function readableItems(
  rows: readonly QuarantineRow[],
  context: NormalizeContext,
  byBackfill: (receivedAt: number) => boolean = () => false,
): { events: NormalizedEvent[]; seqs: number[] } {
  const events: NormalizedEvent[] = [];
  const seqs: number[] = [];
  for (const row of rows) {
    try {
      const read = { ...context, backfilling: byBackfill(row.receivedAt) };
      const result = normalize(JSON.parse(row.raw), read, row.raw);
      if (!result.ok) continue;
      events.push(result.event);
      seqs.push(row.seq);
    } catch {
      // Not JSON (an item whose text did not parse as sent), or too deep to read: it stays.
    }
  }
  return { events, seqs };
}

/**
 * Reads the organization's quarantined items again with this build, from the first (or after
 * `after`), a chunk a transaction: those it reads are stored as the poller stores events
 * (`insertMany`: an id stored already is skipped, the counters and dictionaries kept in the same
 * transaction) and taken out of the quarantine in that transaction, so a pass killed part-way
 * loses nothing and stores nothing twice, and the next reads only what is left. No position is
 * kept: the bot reads the quarantine once per start (which build quarantined an item is not
 * known), `reclassify` at each run. Stored now, they are live events that arrived late (history
 * when Atlassian processed them before the first start, or the backfill received them), judged by
 * the rules and sent by the export as any other.
 */
export async function recoverQuarantined(
  o: RecoveryOptions,
  catalog: McpCatalog,
): Promise<Recovery> {
  const { orgId, stores } = o;
  const store = stores.quarantineRecovery;
  let after = o.after ?? 0;
  const total = store.countAfter(orgId, after);
  if (total > 0)
    o.log.info(
      { quarantined: total },
      after > 0
        ? `going on reading the ${total} quarantined items left again, after item ${after}`
        : `reading ${total} quarantined items again: those this build reads are stored as events`,
    );
  const state = stores.pollStates.get(orgId);
  const context = { orgId, catalog, backfillUntil: state?.backfillUntil ?? null };
  // Received before the backfill was done (or while it runs): quarantined by the backfill.
  const doneAt = stores.pollStates.backfillDoneAt(orgId);
  const byBackfill = (receivedAt: number) =>
    state !== undefined && (!state.backfillDone || (doneAt !== null && receivedAt <= doneAt));
  const progress =
    o.progress ??
    ((done: number, of: number) =>
      o.log.info({ read: done, total: of }, `quarantine: ${done} of ${of} items read again`));
  const tally = { read: 0, recovered: 0, already: 0, changed: 0, pruned: 0 };
  const cut = stores.prunedBefore.get(orgId);
  for (;;) {
    if (o.stop?.()) return { after, ...tally, left: store.countAfter(orgId, 0), stopped: true };
    // Emptied before each transaction: one rolled back noted nothing, and nothing piles up.
    stores.events.changed.length = 0;
    const step = stores.writeTransaction(() => {
      const rows = store.after(orgId, after, o.chunk ?? RECOVERY_CHUNK);
      const last = rows.at(-1)?.seq;
      if (last === undefined) return undefined;
      const now = o.now();
      const readable = withinRetention(readableItems(rows, context, byBackfill), cut, now);
      const stored = storeReadable(stores.events, readable.kept, now);
      store.remove([...stored.taken, ...readable.pruned]);
      const pruned = readable.pruned.length;
      return { last, rows: rows.length, readable: readable.kept.seqs.length, pruned, ...stored };
    });
    if (step === undefined) break;
    after = step.last;
    o.reached?.(after);
    const before = tally.read;
    tally.read += step.rows;
    tally.recovered += step.stored;
    tally.changed += step.changed.length;
    tally.pruned += step.pruned;
    tally.already += step.readable - step.stored - step.changed.length;
    if (step.stored > 0 || step.changed.length > 0)
      o.onStored?.({ events: step.stored, changed: step.changed });
    if (
      Math.floor(tally.read / RECOVERY_PROGRESS_EVERY) >
      Math.floor(before / RECOVERY_PROGRESS_EVERY)
    )
      progress(tally.read, total);
    await setImmediate();
  }
  const left = store.countAfter(orgId, 0);
  const done = { after, ...tally, left, stopped: false };
  if (tally.read > 0)
    o.log[tally.recovered > 0 || tally.changed > 0 ? "warn" : "info"](
      { ...tally, left },
      `${tally.recovered} of the ${tally.read} quarantined items read again were stored as events (arrived late: the rules judge them, the export sends them); ${alreadyAndLeft(done)}`,
    );
  return done;
}

import type { NormalizedEvent, StoredEvent } from "../domain/event.js";
import { rebuildBaselines } from "./baseline-rebuild.js";
import { BaselineWriter, recordedAgain } from "./baselines.js";
import { type ChangedEvent, KeptVersions } from "./changed-events.js";
import { classificationVersion, classifiedAgainOn } from "./classification-version.js";
import type { Db } from "./db.js";
import { type ClassifiedColumn, classifiedColumns, valuesOf } from "./event-columns.js";
import { eventKey } from "./event-key.js";
import { type EventRow, RawBlockReader, rowToEvent, storedId } from "./event-rows.js";
import { BLOCK_EVENTS, encodeBlock } from "./raw-codec.js";
import { StringTable } from "./strings.js";

/** Event statements prepared once per connection. */
export class EventStore {
  private readonly strings: StringTable;
  private readonly blocks: RawBlockReader;
  private readonly baselines: BaselineWriter;
  private readonly insert;
  private readonly insertBlock;
  private readonly lastSeq;
  private readonly kept: KeptVersions;
  private readonly person;
  private readonly update;
  private readonly counted;
  private readonly counts_;
  private readonly live;
  private readonly one;
  private readonly classified: readonly ClassifiedColumn[];

  constructor(private readonly db: Db) {
    this.strings = StringTable.of(db);
    this.blocks = RawBlockReader.of(db);
    this.baselines = new BaselineWriter(db, this.strings);
    this.classified = classifiedColumns(db);
    const columns = `seq, org, id_key, id, time, ${this.classified.join(", ")}, backfilled, ingested_at, raw_block, raw_index`;
    const marks = Array(this.classified.length + 9)
      .fill("?")
      .join(", ");
    this.insert = db.prepare(`INSERT INTO event_rows (${columns}) VALUES (${marks})`);
    this.insertBlock = db.prepare<[number, number, number, Buffer]>(
      "INSERT INTO raw_blocks (org, first_seq, last_seq, data) VALUES (?, ?, ?, ?)",
    );
    // The highest seq ever given, also when retention has since deleted its event: a seq given
    // again would sit at or below where the rules and the export have read to, and never be read.
    this.lastSeq = db
      .prepare<[], number | null>(
        `SELECT max(coalesce((SELECT max(seq) FROM event_rows), 0),
                    coalesce((SELECT max(max_seq) FROM event_counts), 0))`,
      )
      .pluck();
    this.kept = new KeptVersions(db, this.blocks);
    this.person = db.prepare<[string, string, string, string]>(
      `INSERT INTO people (org_id, user_id, user_email, user_name) VALUES (?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    );
    this.update = db.prepare(
      `UPDATE event_rows SET ${this.classified.map((c) => `${c} = ?`).join(", ")} WHERE id_key = ? AND +org = ? AND id = ?`,
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
    // The rows by seq first (the rowid; `+org`: never the organization's time index, which
    // would read all its rows to sort them), then the view for those rows only: on the view, the
    // organization's name was matched by building a Bloom filter of `strings` on every read.
    this.live = db.prepare<[string, number, number], EventRow>(
      `SELECT * FROM events WHERE seq IN (
         SELECT seq FROM event_rows WHERE +org = (SELECT ref FROM strings WHERE value = ?)
           AND seq > ? AND backfilled = 0 ORDER BY seq LIMIT ?)
       ORDER BY seq`,
    );
  }

  /**
   * Inserts what is new; an id already stored (earlier in this call too) is skipped, and noted in
   * `changed` when it came with other content. Returns how many were new. Call inside a
   * transaction, so that nothing is written between look and insert.
   * The new events' raw JSON is compressed in blocks, per organization, in the order given.
   * `kept` (the migration) keeps each event's earlier seq and ingestion time.
   */
  insertMany(
    events: readonly NormalizedEvent[],
    ingestedAt: number,
    kept?: ReadonlyArray<{ readonly seq: number; readonly ingestedAt: number }>,
  ): number {
    this.strings.check();
    this.blocks.clear();
    const fresh = new Map<
      number,
      Array<{ event: NormalizedEvent; key: number; id: Buffer | string; i: number }>
    >();
    const seen = new Map<string, NormalizedEvent>();
    events.forEach((event, i) => {
      const key = eventKey(event.orgId, event.id);
      const org = this.strings.ref(event.orgId);
      const unique = `${org}\n${event.id}`;
      const id = storedId(event.id);
      if (this.kept.already(seen.get(unique), key, org, id, event)) return;
      seen.set(unique, event);
      let list = fresh.get(org);
      if (!list) {
        list = [];
        fresh.set(org, list);
      }
      list.push({ event, key, id, i });
    });
    let next = (this.lastSeq.get() ?? 0) + 1;
    let added = 0;
    const people = new Set<string>();
    const stored: Array<{ event: NormalizedEvent; seq: number }> = [];
    for (const [org, list] of fresh) {
      const tally = { mcp: 0, newest: null as number | null, seq: 0 };
      for (let from = 0; from < list.length; from += BLOCK_EVENTS) {
        const chunk = list.slice(from, from + BLOCK_EVENTS);
        const seqs = chunk.map(({ i }) => kept?.[i]?.seq ?? next++);
        const block = Number(
          this.insertBlock.run(
            org,
            Math.min(...seqs),
            Math.max(...seqs),
            encodeBlock(chunk.map(({ event }) => event.raw)),
          ).lastInsertRowid,
        );
        chunk.forEach(({ event, key, id, i }, index) => {
          const seq = seqs[index] as number;
          this.insert.run(
            seq,
            org,
            key,
            id,
            event.time,
            ...this.values(event, kept !== undefined),
            event.backfilled ? 1 : 0,
            kept?.[i]?.ingestedAt ?? ingestedAt,
            block,
            index,
          );
          if (event.isMcp) tally.mcp++;
          if (
            event.processedAt !== null &&
            (tally.newest === null || event.processedAt > tally.newest)
          )
            tally.newest = event.processedAt;
          tally.seq = Math.max(tally.seq, seq);
          this.remember(event, people);
          stored.push({ event, seq });
        });
      }
      this.counted.run(org, list.length, tally.mcp, tally.newest, tally.seq);
      added += list.length;
    }
    this.baselines.record(stored, ingestedAt);
    return added;
  }

  /** Events insertMany skipped that came with other content than the version kept. */
  get changed(): ChangedEvent[] {
    return this.kept.changed;
  }

  private values(event: NormalizedEvent, moved = false): Array<number | string | null> {
    return valuesOf(this.classified, event, this.strings, moved);
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

  /** Changes whenever stored events may have been classified again (see classificationVersion). */
  classifications(): string {
    return classificationVersion(this.db);
  }

  /** Rewrites the extracted columns of stored events (raw, backfilled and ingested_at stay). */
  updateClassification(events: readonly NormalizedEvent[]): void {
    if (events.length > 0) classifiedAgainOn(this.db);
    this.strings.check();
    const people = new Set<string>();
    for (const event of events) {
      const org = this.strings.lookup(event.orgId);
      if (org === undefined) continue;
      const updated = this.update.run(
        ...this.values(event),
        eventKey(event.orgId, event.id),
        org,
        storedId(event.id),
      );
      // Pruned since it was read: its person is not brought back.
      if (updated.changes > 0) this.remember(event, people);
    }
  }

  /**
   * Counts in the personal baselines stored events that became MCP calls when their action was
   * listed as MCP (classifyChunk), with `updateClassification` in its transaction.
   */
  recordListedLate(events: readonly StoredEvent[], now: number): void {
    this.baselines.recordLate(events.map(recordedAgain), now);
  }

  /** Read now, whole: for reclassify and replays (`iterate`) and an alert's event (`bySeq`). */
  private toEvent = (row: EventRow): StoredEvent => {
    const event = rowToEvent(() => this.blocks.raw(row.raw_block, row.raw_index), row);
    void event.actorId;
    return event;
  };

  /** Live events after `seq`, oldest first; raw-JSON fields decoded when a rule asks (1 in ~10). */
  liveAfter(orgId: string, seq: number, limit: number): StoredEvent[] {
    return this.live
      .all(orgId, seq, limit)
      .map((row) => rowToEvent(() => this.blocks.raw(row.raw_block, row.raw_index), row));
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

  /**
   * The organizations whose people are stored: those no longer watched too, until retention
   * forgets their people.
   */
  peopleOrgs(): string[] {
    return this.db
      .prepare<[], string>("SELECT DISTINCT org_id FROM people ORDER BY org_id")
      .pluck()
      .all();
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

  /** Records the organization's personal baselines again (see baseline-rebuild.ts). */
  rebuildBaselines(orgId: string, now: number): void {
    const { db, strings, baselines } = this;
    rebuildBaselines(
      { db, strings, baselines },
      orgId,
      (from) => this.iterate(orgId, 1_000, from),
      now,
    );
  }

  /** Stored events in insertion order after seq `from`, a chunk at a time (reclassify, replays). */
  *iterate(orgId: string, chunk = 1_000, from = 0): Generator<StoredEvent[]> {
    const page = this.db.prepare<[string, number, number], EventRow>(
      "SELECT * FROM events WHERE +org_id = ? AND seq > ? ORDER BY seq LIMIT ?",
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

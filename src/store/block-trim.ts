import type { Db } from "./db.js";
import { RawBlockReader } from "./event-rows.js";
import { decodeBlock, encodeBlock } from "./raw-codec.js";

/**
 * Rewrites a block of raw JSON without the events no longer stored, their places left empty (the
 * events kept keep their index in it): a block goes when its last event does, and until then an
 * event pruned beside one kept (an alert's) would stay readable in it.
 */
export class BlockTrimmer {
  private readonly block;
  private readonly kept;
  private readonly write;
  private readonly reader;

  constructor(db: Db) {
    this.block = db.prepare<[number], { first_seq: number; last_seq: number; data: Buffer }>(
      "SELECT first_seq, last_seq, data FROM raw_blocks WHERE id = ?",
    );
    this.kept = db
      .prepare<[number, number, number], number>(
        "SELECT raw_index FROM event_rows WHERE seq BETWEEN ? AND ? AND raw_block = ?",
      )
      .pluck();
    this.write = db.prepare<[Buffer, number]>("UPDATE raw_blocks SET data = ? WHERE id = ?");
    this.reader = RawBlockReader.of(db);
  }

  /** Trims the block `id` if it is left and holds an event no longer stored; true when it did. */
  trim(id: number): boolean {
    const block = this.block.get(id);
    if (!block) return false;
    const kept = new Set(this.kept.all(block.first_seq, block.last_seq, id));
    const raws = decodeBlock(block.data);
    if (raws.every((raw, i) => raw === "" || kept.has(i))) return false;
    this.write.run(encodeBlock(raws.map((raw, i) => (kept.has(i) ? raw : ""))), id);
    this.reader.clear();
    return true;
  }
}

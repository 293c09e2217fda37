import type { ToolCatalogue } from "../ingest/tools.js";
import type { Db } from "./db.js";
import {
  NO_CALL_DETAIL,
  RawBlockReader,
  type RereadRow,
  rereadRow,
  storedCallDetail,
} from "./event-rows.js";
import { lazyStatements } from "./lazy-statements.js";
import { StringTable } from "./strings.js";

const UNFILLED = `FROM event_rows INDEXED BY event_rows_unfilled
  WHERE org = (SELECT ref FROM strings WHERE value = ?) AND tool_guessed IS NULL AND tool IS NOT NULL`;

type Unfilled = RereadRow & {
  seq: number;
  tool: string | null;
  raw_block: number;
  raw_index: number;
};

/** What one chunk did: the last seq it read (the next goes on after it), and what it wrote. */
export interface FillStep {
  readonly read: number;
  readonly lastSeq: number;
  readonly filled: number;
  /** Calls whose raw JSON could not be read: stored as naming no operation, not guessed. */
  readonly unreadable: readonly number[];
}

/**
 * MCP calls stored before migration 0045, whose operation and guessed flag are read from the raw
 * JSON until stored (migrations/0046 indexes them): read from there a chunk at a time and stored,
 * so that the SQL figures (the digest's, the Home's, the weekly "what changed") and `tool:` name
 * them as alerts do. Nothing else of the row changes: the classification is the one it has.
 */
export class UnfilledCallsStore {
  private readonly sql;
  private readonly strings;
  private readonly blocks;

  constructor(db: Db) {
    this.sql = lazyStatements(db);
    this.strings = StringTable.of(db);
    this.blocks = RawBlockReader.of(db);
  }

  /** How many calls of the organization are left: a count of the partial index. */
  count(orgId: string): number {
    return this.sql(`SELECT count(*) ${UNFILLED}`).pluck().get(orgId) as number;
  }

  /** Whether any is left: one seek. */
  any(orgId: string): boolean {
    return this.sql(`SELECT 1 ${UNFILLED} LIMIT 1`).get(orgId) !== undefined;
  }

  /**
   * Stores the next `limit` calls after `afterSeq`, read with `tools` (the catalogue the bot
   * classifies with). Call in a write transaction.
   */
  fillChunk(orgId: string, afterSeq: number, limit: number, tools?: ToolCatalogue): FillStep {
    this.strings.check();
    const rows = this.sql(
      `SELECT seq, org_id, id, time, processed_at, action, is_mcp, tool, raw_block, raw_index
       FROM events WHERE seq IN (
         SELECT seq ${UNFILLED} AND seq > ? ORDER BY seq LIMIT ?)
       ORDER BY seq`,
    ).all(orgId, afterSeq, limit) as Unfilled[];
    const store = this.sql(
      "UPDATE event_rows SET operation = ?, tool_guessed = ? WHERE seq = ? AND tool_guessed IS NULL",
    );
    const unreadable: number[] = [];
    let filled = 0;
    for (const row of rows) {
      let call = NO_CALL_DETAIL;
      try {
        const raw = this.blocks.raw(row.raw_block, row.raw_index);
        call = storedCallDetail(row, rereadRow(row, raw, tools));
      } catch {
        // A missing or damaged block: every reader of the call fails on it alike. Stored as
        // naming nothing more, so that it is not read again at every poll.
        unreadable.push(row.seq);
      }
      const { innerTool, toolGuessed } = call;
      filled += store.run(this.strings.refOrNull(innerTool), toolGuessed ? 1 : 0, row.seq).changes;
    }
    this.blocks.clear();
    return { read: rows.length, lastSeq: rows.at(-1)?.seq ?? afterSeq, filled, unreadable };
  }
}

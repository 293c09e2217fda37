import type { StoredEvent } from "../domain/event.js";
import type { Db } from "./db.js";
import { type EventRow, eventsFrom } from "./event-rows.js";
import { lazyStatements } from "./lazy-statements.js";

/** An action newly listed as MCP whose stored events are being classified again. */
export interface ClassifyAgainWork {
  readonly orgId: string;
  readonly action: string;
  /** Looked through up to this seq. */
  readonly afterSeq: number;
  /** The newest event stored when it was listed: those after were classified with it. */
  readonly untilSeq: number;
  /** The organization's events stored then, to look through. */
  readonly rows: number;
  readonly nowMcp: number;
  readonly queued: number;
}

interface WorkRow {
  org_id: string;
  action: string;
  after_seq: number;
  until_seq: number;
  rows: number;
  now_mcp: number;
  queued: number;
}

/**
 * The work left of classifying again the stored events of actions newly listed as MCP
 * (migrations/0042), and the reads it goes by: ranges of seq (the rowid of event_rows, cheap to
 * read a range of) filtered on the action and on is_mcp = 0 or a guessed basis, never an index on
 * the action.
 */
export class ClassifyAgainStore {
  /** Prepared at first use: a database before 0042 has none of its tables until migrated. */
  private readonly statement;

  constructor(private readonly db: Db) {
    this.statement = lazyStatements(db);
  }

  /**
   * Records the work (from the start, up to `untilSeq`). One already recorded starts again from the
   * start: the action may have been unlisted meanwhile, its events looked through and left.
   */
  add(orgId: string, action: string, untilSeq: number, rows: number): void {
    this.statement(
      `INSERT INTO classify_again (org_id, action, after_seq, until_seq, rows) VALUES (?, ?, 0, ?, ?)
       ON CONFLICT (org_id, action) DO UPDATE SET after_seq = 0, rows = excluded.rows,
         until_seq = max(until_seq, excluded.until_seq)`,
    ).run(orgId, action, untilSeq, rows);
  }

  pending(orgId: string): ClassifyAgainWork[] {
    const rows = this.statement(
      "SELECT * FROM classify_again WHERE org_id = ? ORDER BY action",
    ).all(orgId) as WorkRow[];
    return rows.map((row) => ({
      orgId: row.org_id,
      action: row.action,
      afterSeq: row.after_seq,
      untilSeq: row.until_seq,
      rows: row.rows,
      nowMcp: row.now_mcp,
      queued: row.queued,
    }));
  }

  /** The first stored seq after `seq` (any organization's), if any. */
  nextSeq(seq: number): number | undefined {
    const next = this.statement("SELECT min(seq) FROM event_rows WHERE seq > ?").pluck().get(seq) as
      | number
      | null;
    return next ?? undefined;
  }

  /**
   * The organization's events of `action` that are no MCP call or a guessed one, seq in
   * (after, to], at most `limit`.
   */
  notListed(
    orgId: string,
    action: string,
    after: number,
    to: number,
    limit: number,
  ): StoredEvent[] {
    // `+`: the rowid range, never the organization's time index (all its rows).
    const rows = this.statement(
      `SELECT * FROM events WHERE seq IN (
         SELECT seq FROM event_rows WHERE seq > ? AND seq <= ?
           AND (is_mcp = 0 OR mcp_basis = (SELECT ref FROM strings WHERE value = 'guessed'))
           AND +action = (SELECT ref FROM strings WHERE value = ?)
           AND +org = (SELECT ref FROM strings WHERE value = ?) ORDER BY seq LIMIT ?)
       ORDER BY seq`,
    ).all(after, to, action, orgId, limit) as EventRow[];
    return eventsFrom(this.db, rows);
  }

  /** Keeps how far the work went, and what it found there. */
  advance(orgId: string, action: string, afterSeq: number, nowMcp: number, queued: number): void {
    this.statement(
      `UPDATE classify_again SET after_seq = ?, now_mcp = now_mcp + ?, queued = queued + ?
       WHERE org_id = ? AND action = ?`,
    ).run(afterSeq, nowMcp, queued, orgId, action);
  }

  done(orgId: string, action: string): void {
    this.statement("DELETE FROM classify_again WHERE org_id = ? AND action = ?").run(orgId, action);
  }
}

import type { Db } from "./db.js";
import { lazyStatements } from "./lazy-statements.js";

/** A quarantined item as kept, with its place in the quarantine. */
export interface QuarantineRow {
  readonly seq: number;
  readonly eventId: string | null;
  readonly error: string;
  readonly raw: string;
  readonly receivedAt: number;
}

/** The quarantine read again: its items by seq, those stored as events taken out. */
export class QuarantineRecoveryStore {
  private readonly sql;

  constructor(db: Db) {
    this.sql = lazyStatements(db);
  }

  /** The organizations with quarantined items. */
  orgs(): string[] {
    return this.sql("SELECT DISTINCT org_id FROM quarantined_events ORDER BY org_id")
      .pluck()
      .all() as string[];
  }

  /** How many of the organization's items come after `seq`. */
  countAfter(orgId: string, seq: number): number {
    return this.sql("SELECT count(*) FROM quarantined_events WHERE org_id = ? AND seq > ?")
      .pluck()
      .get(orgId, seq) as number;
  }

  /**
   * Up to `limit` of the organization's items after `seq`, by seq (`+org_id`: by the rowid, never
   * the organization's index, which would sort all its items at each call).
   */
  after(orgId: string, seq: number, limit: number): QuarantineRow[] {
    const rows = this.sql(
      `SELECT seq, event_id, error, raw, received_at FROM quarantined_events
       WHERE +org_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
    ).all(orgId, seq, limit) as Array<{
      seq: number;
      event_id: string | null;
      error: string;
      raw: string;
      received_at: number;
    }>;
    return rows.map((row) => ({
      seq: row.seq,
      eventId: row.event_id,
      error: row.error,
      raw: row.raw,
      receivedAt: row.received_at,
    }));
  }

  /** Takes items out of the quarantine (stored as events, or stored already). */
  remove(seqs: readonly number[]): void {
    if (seqs.length > 0)
      this.sql("DELETE FROM quarantined_events WHERE seq IN (SELECT value FROM json_each(?))").run(
        JSON.stringify(seqs),
      );
  }
}

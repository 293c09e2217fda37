import type { Statement } from "better-sqlite3";
import type { Db } from "./db.js";

/**
 * The MCP events the SIEM export is to send again (migrations/0043): events that became MCP
 * calls after the export's position passed them, queued by a trigger in the transaction that
 * reclassifies them, for the organizations the export has a position for.
 */
export class ExportAgain {
  private read: Statement | undefined;
  private remove: Statement | undefined;
  private exists: boolean | undefined;

  constructor(
    private readonly db: Db,
    private readonly columns: string,
  ) {}

  // Looked for at first use: a store opened on a database before 0043 (an upgrade's tests make
  // one) has no queue.
  private queue(): boolean {
    this.exists ??=
      this.db
        .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'export_again'")
        .get() !== undefined;
    return this.exists;
  }

  /** The organization's queued events at or below `upTo` (the position), oldest first. */
  queued<Row>(orgId: string, upTo: number, limit: number): Row[] {
    if (limit <= 0 || !this.queue()) return [];
    this.read ??= this.db.prepare(
      `SELECT ${this.columns} FROM events v WHERE v.seq IN (
         SELECT seq FROM export_again WHERE org_id = ? AND seq <= ? ORDER BY seq LIMIT ?)
       ORDER BY v.seq`,
    );
    return this.read.all(orgId, upTo, limit) as Row[];
  }

  /** Takes the events the receiver got out of the queue, sent again or in order. */
  delivered(seqs: readonly number[]): void {
    if (seqs.length === 0 || !this.queue()) return;
    this.remove ??= this.db.prepare(
      "DELETE FROM export_again WHERE seq IN (SELECT value FROM json_each(?))",
    );
    this.remove.run(JSON.stringify(seqs));
  }
}

import type { Db } from "./db.js";
import { lazyStatements } from "./lazy-statements.js";

/**
 * Live events the rules judged before an action newly listed as MCP made them MCP calls: judged
 * again, each once (migrations/0041). Queued in the transaction that reclassifies them, taken out
 * in the one that writes what the rules found.
 */
export class JudgeAgainStore {
  /** Prepared at first use: a database before 0041 has none of its tables until migrated. */
  private readonly statement;

  constructor(db: Db) {
    this.statement = lazyStatements(db);
  }

  /**
   * Queues those of `seqs` the rules judged already; the others the rules judge when they reach
   * them, as they are stored now (queued too, they would be judged twice). How many were queued.
   */
  add(orgId: string, seqs: readonly number[]): number {
    const insert = this.statement(
      `INSERT OR IGNORE INTO judge_again (org_id, seq) SELECT @orgId, @seq
         WHERE @seq <= (SELECT last_seq FROM detection_state WHERE org_id = @orgId)`,
    );
    let queued = 0;
    for (const seq of seqs) queued += insert.run({ orgId, seq }).changes;
    return queued;
  }

  /** The oldest `limit` queued. */
  queued(orgId: string, limit: number): number[] {
    return this.statement("SELECT seq FROM judge_again WHERE org_id = ? ORDER BY seq LIMIT ?")
      .pluck()
      .all(orgId, limit) as number[];
  }

  done(orgId: string, seqs: readonly number[]): void {
    const remove = this.statement("DELETE FROM judge_again WHERE org_id = ? AND seq = ?");
    for (const seq of seqs) remove.run(orgId, seq);
  }
}

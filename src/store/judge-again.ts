import type { Statement } from "better-sqlite3";
import type { Db } from "./db.js";

/**
 * Live events the rules judged before an action newly listed as MCP made them MCP calls: judged
 * again, each once (migrations/0041). Queued in the transaction that reclassifies them, taken out
 * in the one that writes what the rules found.
 */
export class JudgeAgainStore {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Db) {}

  // Prepared at first use: a store opened on a database before 0041 (an upgrade's tests make
  // one) has no queue until migrated.
  private statement(sql: string): Statement {
    let prepared = this.statements.get(sql);
    if (!prepared) {
      prepared = this.db.prepare(sql);
      this.statements.set(sql, prepared);
    }
    return prepared;
  }

  add(orgId: string, seqs: readonly number[]): void {
    const insert = this.statement("INSERT OR IGNORE INTO judge_again (org_id, seq) VALUES (?, ?)");
    for (const seq of seqs) insert.run(orgId, seq);
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

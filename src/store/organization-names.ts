import type { Db } from "./db.js";
import { lazyStatements } from "./lazy-statements.js";

/** Each organization's name as the organizations API last gave it (migrations/0054). */
export class OrganizationNameStore {
  /** Prepared at first use: a database before 0054 has no such table until migrated. */
  private readonly statement;

  constructor(db: Db) {
    this.statement = lazyStatements(db);
  }

  record(orgId: string, name: string, now: number): void {
    this.statement(
      `INSERT INTO organization_names (org_id, name, learned_at) VALUES (?, ?, ?)
       ON CONFLICT (org_id) DO UPDATE SET name = excluded.name, learned_at = excluded.learned_at`,
    ).run(orgId, name, now);
  }

  /** The name last given; undefined when none ever was. */
  get(orgId: string): string | undefined {
    const name = this.statement("SELECT name FROM organization_names WHERE org_id = ?")
      .pluck()
      .get(orgId) as string | undefined;
    return name ?? undefined;
  }
}

import type { Db } from "./db.js";

/** Each organization's name as the organizations API last gave it (migrations/0054). */
export class OrganizationNameStore {
  private readonly write;
  private readonly read;

  constructor(db: Db) {
    this.write = db.prepare<[string, string, number]>(
      `INSERT INTO organization_names (org_id, name, learned_at) VALUES (?, ?, ?)
       ON CONFLICT (org_id) DO UPDATE SET name = excluded.name, learned_at = excluded.learned_at`,
    );
    this.read = db
      .prepare<[string], string>("SELECT name FROM organization_names WHERE org_id = ?")
      .pluck();
  }

  record(orgId: string, name: string, now: number): void {
    this.write.run(orgId, name, now);
  }

  /** The name last given; undefined when none ever was. */
  get(orgId: string): string | undefined {
    return this.read.get(orgId) ?? undefined;
  }
}

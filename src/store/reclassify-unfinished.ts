import type { Db } from "./db.js";

/** The organizations whose `reclassify` began and did not end (migrations/0029). */
export class ReclassifyUnfinishedStore {
  private readonly begin;
  private readonly end;
  private readonly all;

  constructor(db: Db) {
    this.begin = db.prepare<[string, number]>(
      `INSERT INTO reclassify_unfinished (org_id, started_at) VALUES (?, ?)
       ON CONFLICT (org_id) DO UPDATE SET started_at = excluded.started_at`,
    );
    this.end = db.prepare<[string]>("DELETE FROM reclassify_unfinished WHERE org_id = ?");
    this.all = db.prepare<[], { org_id: string; started_at: number }>(
      "SELECT org_id, started_at FROM reclassify_unfinished ORDER BY org_id",
    );
  }

  began(orgId: string, now: number): void {
    this.begin.run(orgId, now);
  }

  ended(orgId: string): void {
    this.end.run(orgId);
  }

  /** When each unfinished run began, by organization. */
  unfinished(): { orgId: string; startedAt: number }[] {
    return this.all.all().map((row) => ({ orgId: row.org_id, startedAt: row.started_at }));
  }
}

import type { Db } from "./db.js";

/**
 * Per organization, the time before which retention deleted events (migrations/0022): answers and
 * digests reaching back past it say so, rather than reading as "nothing happened then".
 */
export class PrunedBeforeStore {
  private readonly write;
  private readonly read;

  constructor(db: Db) {
    // Never moved back (RETENTION_DAYS raised later): what was deleted stays deleted.
    this.write = db.prepare(
      `INSERT INTO pruned_before (org_id, before, recorded_at) VALUES (?, ?, ?)
       ON CONFLICT (org_id) DO UPDATE SET before = max(before, excluded.before),
         recorded_at = excluded.recorded_at`,
    );
    this.read = db
      .prepare<[string], number>("SELECT before FROM pruned_before WHERE org_id = ?")
      .pluck();
  }

  /**
   * A retention pass deletes the organization's events from before `before`: recorded before it
   * deletes any, so that a pass stopped or failing part-way leaves no deletion unsaid.
   */
  record(orgId: string, before: number, now: number): void {
    this.write.run(orgId, before, now);
  }

  /** The time before which the organization's events were deleted, if any pass ran. */
  get(orgId: string): number | undefined {
    return this.read.get(orgId) ?? undefined;
  }

  /** The cut when a window from `since` reaches back past it: what an answer must say. */
  within(orgId: string, since: number): number | undefined {
    const before = this.get(orgId);
    return before !== undefined && since < before ? before : undefined;
  }
}

import type { Db } from "./db.js";

/** Notices posted once to the alert channel (API key expiry warnings), each under its own name. */
export class NoticeStore {
  private readonly byPrefix;
  private readonly anyOrg;
  private readonly claimOne;

  constructor(private readonly db: Db) {
    this.byPrefix = db.prepare<[string, string], { notice: string }>(
      "SELECT notice FROM notices WHERE org_id = ? AND notice LIKE ? || '%'",
    );
    this.anyOrg = db
      .prepare<[string], string>("SELECT DISTINCT notice FROM notices WHERE notice LIKE ? || '%'")
      .pluck();
    this.claimOne = db.prepare(
      "INSERT OR IGNORE INTO notices (org_id, notice, posted_at) VALUES (?, ?, ?)",
    );
  }

  /** The names of the notices recorded that start with `prefix`. */
  recorded(orgId: string, prefix: string): string[] {
    return this.byPrefix.all(orgId, prefix).map((row) => row.notice);
  }

  /** The names of the notices recorded under any organization that start with `prefix`. */
  recordedAnywhere(prefix: string): string[] {
    return this.anyOrg.all(prefix);
  }

  /**
   * Records `notice` (and `alsoDone`, so none of them is posted after it); true when this call
   * recorded `notice`, false when it was recorded already.
   */
  claim(orgId: string, notice: string, alsoDone: readonly string[], now: number): boolean {
    return this.db.transaction(() => {
      const mine = this.claimOne.run(orgId, notice, now).changes === 1;
      for (const other of alsoDone) this.claimOne.run(orgId, other, now);
      return mine;
    })();
  }

  /**
   * Forgets the notices named `prefix` and a time (`attestation:<week start>`) later than `after`,
   * recorded later than `now` (by a clock that was ahead, since stepped back): what they mark
   * done is still to come. Their names.
   */
  forgetFuture(orgId: string, prefix: string, after: number, now: number): string[] {
    return this.db
      .prepare<[string, string, string, number, number], { notice: string }>(
        `DELETE FROM notices WHERE org_id = ? AND notice LIKE ? || '%'
           AND CAST(substr(notice, length(?) + 1) AS INTEGER) > ? AND posted_at > ? RETURNING notice`,
      )
      .all(orgId, prefix, prefix, after, now)
      .map((row) => row.notice);
  }
}

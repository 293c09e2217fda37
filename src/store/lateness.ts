import type { Db } from "./db.js";

/** How long after they happened an organization's events were processed, as stored. */
export class LatenessStore {
  private readonly read;

  constructor(db: Db) {
    // The newest rows by seq (the rowid, read backwards; `+org`: never an index of the
    // organization's, which would read all its rows to sort them).
    this.read = db
      .prepare<[string, number], number | null>(
        `SELECT max(processed_delta) FROM (
           SELECT processed_delta FROM event_rows
           WHERE +org = (SELECT ref FROM strings WHERE value = ?) ORDER BY seq DESC LIMIT ?)`,
      )
      .pluck();
  }

  /**
   * The longest processedAt − time (ms) among the organization's last `count` events stored;
   * null before any with a processedAt.
   */
  longest(orgId: string, count: number): number | null {
    return this.read.get(orgId, count) ?? null;
  }
}

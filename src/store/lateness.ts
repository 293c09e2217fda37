import type { Db } from "./db.js";

/** How long after they happened an organization's events were processed, as stored. */
export class LatenessStore {
  private readonly read;

  constructor(db: Db) {
    // The newest rows by time, by the (org, time) index: a few index pages whatever else the
    // table holds (rows by seq with `+org` would walk every row of the other organizations).
    this.read = db
      .prepare<[string, number], number | null>(
        `SELECT max(processed_delta) FROM (
           SELECT processed_delta FROM event_rows INDEXED BY event_rows_time
           WHERE org = (SELECT ref FROM strings WHERE value = ?) ORDER BY time DESC LIMIT ?)`,
      )
      .pluck();
  }

  /**
   * The longest processedAt − time (ms) among the organization's newest `count` events (by the
   * time they happened: nearly those stored last); null before any with a processedAt.
   */
  longest(orgId: string, count: number): number | null {
    return this.read.get(orgId, count) ?? null;
  }
}

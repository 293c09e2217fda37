import type { Db } from "./db.js";

export interface QuarantinedItem {
  readonly eventId: string | null;
  readonly error: string;
  readonly raw: string;
}

/**
 * Reading by time again (after a refused cursor) meets the same broken items: each is kept once,
 * looked up by its length and beginning (migrations/0019), not by reading every item kept.
 */
export const QUARANTINE_INSERT = `INSERT INTO quarantined_events (org_id, event_id, error, raw, received_at)
  SELECT @orgId, @eventId, @error, @raw, @receivedAt
  WHERE NOT EXISTS (SELECT 1 FROM quarantined_events
    WHERE org_id = @orgId AND length(raw) = length(@raw)
      AND substr(raw, 1, 64) = substr(@raw, 1, 64) AND raw = @raw)`;

/** Stream items that could not be read as events: kept with the reason, never fatal. */
export class QuarantineStore {
  private readonly insert;
  private readonly count;

  constructor(db: Db) {
    this.insert = db.prepare(QUARANTINE_INSERT);
    this.count = db.prepare<[string], { n: number }>(
      "SELECT count(*) AS n FROM quarantined_events WHERE org_id = ?",
    );
  }

  /** Keeps the items not kept already; how many that was. */
  add(orgId: string, items: readonly QuarantinedItem[], receivedAt: number): number {
    let added = 0;
    for (const item of items)
      added += this.insert.run({
        orgId,
        eventId: item.eventId,
        error: item.error,
        raw: item.raw,
        receivedAt,
      }).changes;
    return added;
  }

  countFor(orgId: string): number {
    return this.count.get(orgId)?.n ?? 0;
  }
}

import type { ActivityFilter } from "../domain/activity.js";
import type { Db } from "./db.js";

/**
 * The events of the alerts a question asks about (status:, rule:) with a time in the question's
 * [since, until), oldest first. Read once per question: an alert's events lie between its first
 * and last seen, so its alerts are those last seen since the question's start, found through
 * `alerts_status_seen` or `alerts_rule_seen` (migrations/0047) whatever the age of the store; each
 * window of the question then looks up only its own events by seq.
 */
export class AlertedEvents {
  private constructor(
    private readonly seqs: readonly number[],
    private readonly times: readonly number[],
  ) {}

  static read(db: Db, f: ActivityFilter): AlertedEvents {
    const parts = ["a.org_id = ?", "a.last_seen >= ?", "a.first_seen < ?"];
    const params: Array<string | number> = [f.orgId, f.since, f.until];
    if (f.rules.length > 0) {
      parts.push(`a.rule_id IN (${f.rules.map(() => "?").join(", ")})`);
      params.push(...f.rules);
    }
    if (f.statuses.length > 0) {
      parts.push(`a.status IN (${f.statuses.map(() => "?").join(", ")})`);
      params.push(...f.statuses);
    }
    const rows = db
      .prepare<Array<string | number>, { seq: number; time: number }>(
        `SELECT seq, time FROM event_rows WHERE seq IN (
           SELECT ae.event_seq FROM alerts a JOIN alert_events ae ON ae.alert_id = a.id
           WHERE ${parts.join(" AND ")})
         AND +time >= ? AND +time < ? ORDER BY time, seq`,
      )
      .all(...params, f.since, f.until);
    return new AlertedEvents(
      rows.map((r) => r.seq),
      rows.map((r) => r.time),
    );
  }

  /** The seqs of those with a time in [since, until), as the JSON array `json_each` reads. */
  within(since: number, until: number): string {
    return JSON.stringify(this.seqs.slice(this.firstAt(since), this.firstAt(until)));
  }

  /** The index of the first event with a time at or after `time`. */
  private firstAt(time: number): number {
    let low = 0;
    let high = this.times.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.times[middle] ?? 0) < time) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

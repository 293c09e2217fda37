import type { ActivityFilter } from "../domain/activity.js";
import { nextTurn, timeBox } from "../wait.js";
import type { Db } from "./db.js";

/** Alerts whose events are read in one statement. */
const ALERTS_A_READ = 2_000;

/**
 * The events of the alerts a question asks about (status:, rule:) with a time in the question's
 * [since, until), oldest first. Read once per question: an alert's events lie between its first
 * and last seen, so its alerts are those last seen since the question's start, found through
 * `alerts_status_seen` or `alerts_rule_seen` (migrations/0047) whatever the age of the store, then
 * their events a chunk of alerts at a time; each window of the question then looks up only its
 * own events by seq.
 */
export class AlertedEvents {
  private constructor(
    private readonly seqs: readonly number[],
    private readonly times: readonly number[],
  ) {}

  /** Reads them at once (a command's question: nothing else waits on the process). */
  static read(db: Db, f: ActivityFilter): AlertedEvents {
    const reading = AlertedEvents.reading(db, f);
    for (let step = reading.next(); ; step = reading.next()) if (step.done) return step.value;
  }

  /**
   * Reads them ALERTS_A_READ alerts at a time, letting the event loop in once a slice's time has
   * passed: a month of alerts on a store with a year of them is tens of thousands.
   */
  static async readInTurns(db: Db, f: ActivityFilter): Promise<AlertedEvents> {
    const reading = AlertedEvents.reading(db, f);
    let sliceOver = timeBox();
    for (let step = reading.next(); ; step = reading.next()) {
      if (step.done) return step.value;
      if (sliceOver()) {
        await nextTurn();
        sliceOver = timeBox();
      }
    }
  }

  /**
   * The reads, one step a chunk: the next ALERTS_A_READ alerts last seen since the question's start
   * (in the order of the status's or rule's index, from where the last chunk stopped), then their
   * events of the question's time.
   */
  private static *reading(db: Db, f: ActivityFilter): Generator<void, AlertedEvents> {
    // Walked by status when asked, else by rule, each value on its own: the index's order.
    const [by, values, other, others] =
      f.statuses.length > 0
        ? (["status", f.statuses, "rule_id", f.rules] as const)
        : (["rule_id", f.rules, "status", f.statuses] as const);
    const also =
      others.length > 0 ? ` AND a.${other} IN (${others.map(() => "?").join(", ")})` : "";
    const alerts = db.prepare<Array<string | number>, { id: number; last_seen: number }>(
      `SELECT a.id, a.last_seen FROM alerts a INDEXED BY alerts_${by === "status" ? "status" : "rule"}_seen
       WHERE a.org_id = ? AND a.${by} = ? AND (a.last_seen, a.id) > (?, ?) AND a.first_seen < ?${also}
       ORDER BY a.last_seen, a.id LIMIT ${ALERTS_A_READ}`,
    );
    const events = db.prepare<[string, number, number], { seq: number; time: number }>(
      `SELECT seq, time FROM event_rows WHERE seq IN (
         SELECT event_seq FROM alert_events WHERE alert_id IN (SELECT value FROM json_each(?)))
       AND +time >= ? AND +time < ?`,
    );
    const rows: Array<{ seq: number; time: number }> = [];
    for (const value of values) {
      // Alert ids start at 1: (since, 0) is before every alert last seen at `since`.
      let after = { lastSeen: f.since, id: 0 };
      for (;;) {
        yield;
        const page = alerts.all(f.orgId, value, after.lastSeen, after.id, f.until, ...others);
        const last = page.at(-1);
        if (last) rows.push(...events.all(JSON.stringify(page.map((a) => a.id)), f.since, f.until));
        if (!last || page.length < ALERTS_A_READ) break;
        after = { lastSeen: last.last_seen, id: last.id };
      }
    }
    // An event two alerts are about, read with each.
    rows.sort((a, b) => a.time - b.time || a.seq - b.seq);
    const seen = rows.filter((row, i) => row.seq !== rows[i - 1]?.seq);
    return new AlertedEvents(
      seen.map((r) => r.seq),
      seen.map((r) => r.time),
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

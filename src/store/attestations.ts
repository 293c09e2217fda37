import type { Attestation, NewAttestation } from "../domain/attestation.js";
import type { Db } from "./db.js";
import { stampedSince } from "./stamped-since.js";

interface AttestationRow {
  id: number;
  org_id: string;
  week_start: number;
  week_end: number;
  account_id: string;
  slack_user: string;
  name: string | null;
  email: string | null;
  calls: number;
  writes: number;
  deletes: number;
  places: string;
  stored_through: number | null;
  dm_channel: string | null;
  dm_ts: string | null;
  answer: string | null;
  answered_at: number | null;
  alert_id: number | null;
  created_at: number;
}

const toAttestation = (row: AttestationRow): Attestation => ({
  id: row.id,
  orgId: row.org_id,
  weekStart: row.week_start,
  weekEnd: row.week_end,
  accountId: row.account_id,
  slackUser: row.slack_user,
  name: row.name,
  email: row.email,
  calls: row.calls,
  writes: row.writes,
  deletes: row.deletes,
  places: JSON.parse(row.places) as string[],
  storedThrough: row.stored_through,
  dmChannel: row.dm_channel,
  dmTs: row.dm_ts,
  answer: row.answer as Attestation["answer"],
  answeredAt: row.answered_at,
  alertId: row.alert_id,
  createdAt: row.created_at,
});

/** The weekly checks: one row per organization, week and person (a unique key), answered once. */
export class AttestationStore {
  constructor(private readonly db: Db) {}

  /** Records a person's week; its id, or undefined when that week was recorded for them already. */
  add(a: NewAttestation, now: number): number | undefined {
    const { changes, lastInsertRowid } = this.db
      .prepare(
        `INSERT OR IGNORE INTO attestations (org_id, week_start, week_end, account_id, slack_user,
           name, email, calls, writes, deletes, places, stored_through, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        a.orgId,
        a.weekStart,
        a.weekEnd,
        a.accountId,
        a.slackUser,
        a.name,
        a.email,
        a.calls,
        a.writes,
        a.deletes,
        JSON.stringify(a.places),
        a.storedThrough,
        now,
      );
    return changes === 1 ? Number(lastInsertRowid) : undefined;
  }

  /** When this database was first run by a release that stamps its buttons (see stampedSince). */
  stampedSince(): number {
    return stampedSince(this.db);
  }

  get(id: number): Attestation | undefined {
    const row = this.db
      .prepare<[number], AttestationRow>("SELECT * FROM attestations WHERE id = ?")
      .get(id);
    return row ? toAttestation(row) : undefined;
  }

  /** The people of a week already recorded (an interrupted run resumes after them). */
  accountsOf(orgId: string, weekStart: number): Set<string> {
    return new Set(
      this.db
        .prepare<[string, number], { account_id: string }>(
          "SELECT account_id FROM attestations WHERE org_id = ? AND week_start = ?",
        )
        .all(orgId, weekStart)
        .map((r) => r.account_id),
    );
  }

  /**
   * Forgets the checks of a week that ends later than `now` (made by a clock that was ahead,
   * since stepped back) that nobody answered: their people are asked again when it ends. Their
   * ids and when they were recorded. A check made by that clock after its week really ended stands.
   */
  forgetFuture(orgId: string, now: number): Array<{ id: number; createdAt: number }> {
    return this.db
      .prepare<[string, number], { id: number; createdAt: number }>(
        `DELETE FROM attestations WHERE org_id = ? AND week_end > ? AND answer IS NULL
         RETURNING id, created_at AS createdAt`,
      )
      .all(orgId, now);
  }

  /** Where the message is, once sent: the answer updates it. */
  sent(id: number, channel: string, ts: string): void {
    this.db
      .prepare("UPDATE attestations SET dm_channel = ?, dm_ts = ? WHERE id = ?")
      .run(channel, ts, id);
  }

  /** Records the first answer; false when it was answered already. */
  answer(id: number, answer: "yes" | "no", now: number): boolean {
    return (
      this.db
        .prepare(
          "UPDATE attestations SET answer = ?, answered_at = ? WHERE id = ? AND answer IS NULL",
        )
        .run(answer, now, id).changes === 1
    );
  }

  /** The alert a "not me" raised. */
  raised(id: number, alertId: number): void {
    this.db.prepare("UPDATE attestations SET alert_id = ? WHERE id = ?").run(alertId, id);
  }
}

import type { AlertStatus } from "../domain/alert.js";
import type { Db } from "./db.js";

export interface TrailEntry {
  readonly alertId: number;
  readonly at: number;
  readonly actor: string;
  readonly from: AlertStatus;
  readonly to: AlertStatus;
  readonly note: string | null;
}

/** A status an alert took, and when. */
export interface StatusAt {
  readonly at: number;
  readonly to: AlertStatus;
}

export type StatusChange =
  | { readonly changed: true; readonly entry: TrailEntry }
  /** Nothing changed: the alert was already in that state (or is unknown); `last` says who set it. */
  | {
      readonly changed: false;
      readonly status: AlertStatus | undefined;
      readonly last: TrailEntry | undefined;
    };

interface TrailRow {
  alert_id: number;
  at: number;
  actor: string;
  from_status: string;
  to_status: string;
  note: string | null;
}

const toEntry = (row: TrailRow): TrailEntry => ({
  alertId: row.alert_id,
  at: row.at,
  actor: row.actor,
  from: row.from_status as AlertStatus,
  to: row.to_status as AlertStatus,
  note: row.note,
});

/** Alert status changes and their audit trail: every change a new row, never overwritten. */
export class TrailStore {
  private readonly status;
  private readonly update;
  private readonly insert;
  private readonly last;
  private readonly all;
  private readonly ofCall;

  constructor(private readonly db: Db) {
    this.status = db.prepare<[string, number], { status: string }>(
      "SELECT status FROM alerts WHERE org_id = ? AND id = ?",
    );
    this.update = db.prepare(
      "UPDATE alerts SET status = ?, updated_at = ? WHERE org_id = ? AND id = ?",
    );
    this.insert = db.prepare(
      "INSERT INTO alert_trail (org_id, alert_id, at, actor, from_status, to_status, note) VALUES (?, ?, ?, ?, ?, ?, ?)",
    );
    this.last = db.prepare<[string, number], TrailRow>(
      "SELECT * FROM alert_trail WHERE org_id = ? AND alert_id = ? AND from_status != to_status ORDER BY id DESC LIMIT 1",
    );
    this.all = db.prepare<[string, number], TrailRow>(
      "SELECT * FROM alert_trail WHERE org_id = ? AND alert_id = ? ORDER BY id",
    );
    this.ofCall = db.prepare<{ orgId: string; ruleId: string; seq: number }, TrailRow>(
      `SELECT * FROM alert_trail WHERE org_id = @orgId AND from_status != to_status
         AND alert_id = (SELECT a.id FROM alert_events ae JOIN alerts a ON a.id = ae.alert_id
           WHERE ae.event_seq = @seq AND ae.org_id = @orgId AND a.rule_id = @ruleId
           ORDER BY a.id LIMIT 1)
       ORDER BY id`,
    );
  }

  /**
   * Moves an alert to `to` when `allowed(from)` says so, recording who and when in the same
   * transaction; otherwise changes nothing and says who set the current state.
   */
  change(
    orgId: string,
    alertId: number,
    to: AlertStatus,
    actor: string,
    at: number,
    allowed: (from: AlertStatus) => boolean,
    note: string | null = null,
  ): StatusChange {
    return this.db
      .transaction((): StatusChange => {
        const current = this.status.get(orgId, alertId)?.status as AlertStatus | undefined;
        if (current === undefined || current === to || !allowed(current)) {
          return { changed: false, status: current, last: this.lastChange(orgId, alertId) };
        }
        this.update.run(to, at, orgId, alertId);
        this.insert.run(orgId, alertId, at, actor, current, to, note);
        return { changed: true, entry: { alertId, at, actor, from: current, to, note } };
      })
      .immediate();
  }

  /** A fact about the alert that changes no status (an answer, a snooze), kept in the same trail. */
  note(orgId: string, alertId: number, actor: string, at: number, note: string): void {
    const current = this.status.get(orgId, alertId)?.status;
    if (current !== undefined) this.insert.run(orgId, alertId, at, actor, current, current, note);
  }

  /** The last status change (notes aside). */
  lastChange(orgId: string, alertId: number): TrailEntry | undefined {
    const row = this.last.get(orgId, alertId);
    return row ? toEntry(row) : undefined;
  }

  /**
   * The status changes of the bot's alert of `ruleId` that took the call `seq`, in order (none
   * when no alert took it): what `rules test` replays of the alert it opens with that call.
   */
  changesOfAlertWith(orgId: string, ruleId: string, seq: number): StatusAt[] {
    return this.ofCall
      .all({ orgId, ruleId, seq })
      .map((row) => ({ at: row.at, to: row.to_status as AlertStatus }));
  }

  history(orgId: string, alertId: number): TrailEntry[] {
    return this.all.all(orgId, alertId).map(toEntry);
  }
}

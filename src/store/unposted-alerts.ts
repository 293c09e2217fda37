import { HIDDEN_BY_MUTE_RULE } from "../domain/alert.js";
import type { Db } from "./db.js";
import { lazyStatements } from "./lazy-statements.js";

/** A place in the open alerts' time index: an alert's last finding and id. */
export interface AlertPosition {
  readonly lastSeen: number;
  readonly id: number;
}

/** Before every alert. */
export const FIRST_ALERT: AlertPosition = { lastSeen: Number.MIN_SAFE_INTEGER, id: 0 };

/** What one batch did, and where the next goes on from (null: no old open alert left). */
export interface AlertBatch {
  readonly read: number;
  readonly deleted: number;
  readonly next: AlertPosition | null;
}

/**
 * Deletes the alerts nobody saw once they are older than the retention: never posted (below
 * `minSeverity`, or quieted to the digest), still open, not hidden by a mute still running or a
 * suppression in place (a "not me" raises those again) nor raised again, with no message, trail,
 * question to the person, weekly check or suppression naming them (a `once` subject names only an
 * alert raised to be posted). With them go their links to events (so retention deletes the events
 * next), their changes and their mark of a Not me raised before links (0062), once the SIEM export has delivered them. The newest alert and the
 * newest change are never deleted: SQLite would give their ids again, and the export's positions
 * and the outbox's keys count on ids never coming back.
 */
export class UnpostedAlerts {
  private readonly sql;

  constructor(private readonly db: Db) {
    this.sql = lazyStatements(db);
  }

  /**
   * Reads the next `limit` open alerts of `orgId` last seen before `before` (epoch ms) after
   * `from`, and deletes those nobody saw, as of `now`; with `exported` (the SIEM export's
   * position in the alert changes), only those whose changes it delivered.
   */
  pruneBatch(
    orgId: string,
    before: number,
    now: number,
    limit: number,
    from: AlertPosition,
    exported?: number,
  ): AlertBatch {
    return this.db.transaction((): AlertBatch => {
      const read = this.sql(WINDOW).all({ orgId, before, limit, ...from }) as {
        id: number;
        last_seen: number;
      }[];
      const ids = JSON.stringify(
        this.sql(DELETABLE)
          .pluck()
          .all({
            ids: JSON.stringify(read.map((row) => row.id)),
            before,
            now,
            exported: exported ?? null,
          }),
      );
      for (const table of ["alert_events", "alert_changes", "not_me_counted_by_person"])
        this.sql(`DELETE FROM ${table} WHERE alert_id IN (SELECT value FROM json_each(?))`).run(
          ids,
        );
      const deleted = this.sql(
        "DELETE FROM alerts WHERE id IN (SELECT value FROM json_each(?))",
      ).run(ids).changes;
      const last = read.at(-1);
      const next = read.length < limit || !last ? null : { lastSeen: last.last_seen, id: last.id };
      return { read: read.length, deleted, next };
    })();
  }
}

/** The next open alerts last seen before the cut, in the order of migrations/0047's index. */
const WINDOW = `SELECT id, last_seen FROM alerts INDEXED BY alerts_status_seen
  WHERE org_id = @orgId AND status = 'open' AND last_seen < @before
    AND (last_seen > @lastSeen OR (last_seen = @lastSeen AND id > @id))
  ORDER BY last_seen, id LIMIT @limit`;

/** The person an alert is about as mutes and suppressions key them (quietKey). */
const QUIET_KEY = "coalesce(a.user_id, 'email:' || lower(a.user_email))";

/**
 * Of the open alerts `ids`, those nobody saw, each look-up by an index (migrations 0048, 0049).
 * One quieted (`suppressed_by`) stays while a mute still running or a suppression in place about
 * its person could raise it again (a "not me" ends them and raises what any of them hid, by its
 * label: whatever their rule), and once raised again, for good (the raised alert names it by
 * number); what `once` kept to the digest, a rules-file suppression or a mute run out hid,
 * nothing raises again.
 */
const DELETABLE = `SELECT a.id FROM alerts a
  WHERE a.id IN (SELECT value FROM json_each(@ids))
    AND a.notify = 0
    AND (a.suppressed_by IS NULL OR (
      NOT EXISTS (SELECT 1 FROM mutes m INDEXED BY mutes_person
        WHERE m.org_id = a.org_id AND m.user_key = ${QUIET_KEY} AND m.until > @now)
      AND NOT EXISTS (SELECT 1 FROM suppressions s INDEXED BY suppressions_person
        WHERE s.org_id = a.org_id AND s.user_key = ${QUIET_KEY} AND s.removed_at IS NULL)
      AND NOT EXISTS (SELECT 1 FROM alerts h INDEXED BY alerts_rule_seen,
          json_each(h.detail, '$.hiddenAlerts') named
        WHERE h.org_id = a.org_id AND h.rule_id = '${HIDDEN_BY_MUTE_RULE}' AND named.value = a.id)))
    AND a.last_seen < @before AND a.created_at < @before AND a.updated_at < @before
    AND a.id < (SELECT max(id) FROM alerts)
    AND NOT EXISTS (SELECT 1 FROM deliveries WHERE alert_id = a.id)
    AND NOT EXISTS (SELECT 1 FROM alert_trail WHERE alert_id = a.id)
    AND NOT EXISTS (SELECT 1 FROM alert_followups WHERE alert_id = a.id)
    AND NOT EXISTS (SELECT 1 FROM attestations WHERE alert_id = a.id)
    AND NOT EXISTS (SELECT 1 FROM suppressions WHERE alert_id = a.id)
    AND NOT EXISTS (SELECT 1 FROM alert_changes c WHERE c.alert_id = a.id
      AND (c.id >= (SELECT max(id) FROM alert_changes) OR c.id > coalesce(@exported, c.id)))`;

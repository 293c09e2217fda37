import type { Alert } from "../domain/alert.js";
import { type AlertRow, rowToAlert } from "./alerts.js";
import type { Db } from "./db.js";

export interface Delivery {
  readonly alertId: number;
  readonly channel: string;
  readonly ts: string | null;
  readonly revision: number;
  readonly viaSummary: boolean;
  /** The hour whose roll-up counts it, if one does (also once it is posted alone since). */
  readonly rollupHour: number | null;
}

/** An alert Slack has yet to show, and what is to be done about it. */
export interface PendingAlert {
  readonly alert: Alert;
  /**
   * new: never queued; in-flight: tried before the outbox existed, outcome unknown; grown: its
   * group grew since its message (or its roll-up) was queued.
   */
  readonly kind: "new" | "in-flight" | "grown";
  readonly delivery: Delivery | undefined;
  /** When it was tried (in-flight). */
  readonly attemptedAt: number | null;
}

interface PendingRow extends AlertRow {
  d_channel: string | null;
  d_ts: string | null;
  d_revision: number | null;
  d_via_summary: number | null;
  d_rollup_hour: number | null;
  d_attempted_at: number | null;
}

const SEVERITY_ORDER =
  "CASE a.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 2 ELSE 3 END";

/**
 * Which alerts Slack has yet to show, and the message that shows each: a row is written when the
 * alert's message is queued in the outbox, and gets its ts once Slack took it.
 */
export class DeliveryStore {
  private readonly pendingQuery;
  private readonly countQuery;
  private readonly start;
  private readonly done;
  private readonly summarised;
  private readonly summaryDone;
  private readonly summaryPending;
  private readonly summaryFirst;
  private readonly revised;
  private readonly failed;
  private readonly touched;
  private readonly byAlert;
  private readonly postedQuery;
  private readonly rolledUp;
  private readonly rollupQuery;
  private readonly aloneQuery;
  private readonly aloneSince;

  constructor(private readonly db: Db) {
    // Queued alerts have an outbox item under their key; an attempt without one predates it.
    // Only alerts past their settled revision can be pending: the partial index alerts_unsettled
    // (migrations/0015) holds those alone, so a pass reads them, not every alert ever posted (named:
    // without statistics the planner may take another index of the organization's alerts). An
    // alert in a roll-up is settled at the revision the roll-up last showed (its delivery's
    // revision, also once Slack takes the roll-up: migrations/0032): past it, it grew.
    const pending = `FROM alerts a INDEXED BY alerts_unsettled LEFT JOIN deliveries d ON d.org_id = a.org_id AND d.alert_id = a.id
      WHERE a.org_id = @orgId AND a.notify = 1 AND a.settled_revision IS NOT a.revision
        AND (d.alert_id IS NULL OR (d.failure IS NULL AND ((d.via_summary = 0 AND (d.revision < a.revision
          OR (d.ts IS NULL AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.key = 'alert:' || a.org_id || ':' || a.id))))
          OR (d.via_summary = 1 AND d.rollup_hour IS NOT NULL))))`;
    this.pendingQuery = db.prepare<Record<string, unknown>, PendingRow>(
      `SELECT a.*, d.channel AS d_channel, d.ts AS d_ts, d.revision AS d_revision, d.via_summary AS d_via_summary,
         d.rollup_hour AS d_rollup_hour, d.attempted_at AS d_attempted_at
       ${pending} ORDER BY ${SEVERITY_ORDER}, a.id LIMIT @limit`,
    );
    this.countQuery = db.prepare<Record<string, unknown>, { n: number }>(
      `SELECT count(*) AS n ${pending} AND d.alert_id IS NULL`,
    );
    this.start = db.prepare(
      `INSERT INTO deliveries (org_id, alert_id, channel, ts, revision, via_summary, attempted_at)
       VALUES (?, ?, ?, NULL, ?, 0, ?) ON CONFLICT (org_id, alert_id) DO UPDATE SET attempted_at = excluded.attempted_at`,
    );
    this.done = db.prepare(
      "UPDATE deliveries SET ts = ?, revision = max(revision, ?), channel = ?, delivered_at = ? WHERE org_id = ? AND alert_id = ?",
    );
    this.summarised = db.prepare(
      `INSERT INTO deliveries (org_id, alert_id, channel, ts, revision, via_summary, attempted_at)
       VALUES (?, ?, ?, NULL, 0, 1, ?) ON CONFLICT (org_id, alert_id) DO NOTHING`,
    );
    this.summaryDone = db.prepare(
      "UPDATE deliveries SET ts = ?, channel = ?, delivered_at = ? WHERE org_id = ? AND alert_id = ? AND via_summary = 1",
    );
    const inFlight = `FROM alerts a JOIN deliveries d ON d.org_id = a.org_id AND d.alert_id = a.id
       WHERE a.org_id = ? AND d.via_summary = 1 AND d.ts IS NULL AND d.rollup_hour IS NULL`;
    this.summaryPending = db.prepare<[string], AlertRow>(`SELECT a.* ${inFlight} ORDER BY a.id`);
    this.summaryFirst = db.prepare<[string], number | null>(`SELECT min(a.id) ${inFlight}`).pluck();
    this.failed = db.prepare("UPDATE deliveries SET failure = ? WHERE org_id = ? AND alert_id = ?");
    this.touched = db.prepare("UPDATE alerts SET updated_at = ? WHERE org_id = ? AND id = ?");
    this.postedQuery = db.prepare<[string, number], { n: number }>(
      "SELECT count(*) AS n FROM deliveries WHERE org_id = ? AND attempted_at >= ? AND via_summary = 0",
    );
    this.rolledUp = db.prepare(
      `INSERT INTO deliveries (org_id, alert_id, channel, ts, revision, via_summary, attempted_at, rollup_hour)
       VALUES (?, ?, ?, NULL, ?, 1, ?, ?) ON CONFLICT (org_id, alert_id) DO NOTHING`,
    );
    this.rollupQuery = db.prepare<[string, number], AlertRow>(
      `SELECT a.* FROM alerts a JOIN deliveries d ON d.org_id = a.org_id AND d.alert_id = a.id
       WHERE a.org_id = ? AND d.rollup_hour = ? ORDER BY a.id`,
    );
    this.aloneQuery = db
      .prepare<[string, number], number>(
        "SELECT alert_id FROM deliveries WHERE org_id = ? AND rollup_hour = ? AND via_summary = 0 ORDER BY alert_id",
      )
      .pluck();
    // Its message queued as a new one's is (markQueued), the roll-up still counting it (its
    // roll-up or summary posted after leaves it be). Once: only while it is counted. Followed up
    // once Slack takes it unless it is already: one counted before migration 0031 was marked
    // followed with no follow-up started.
    this.aloneSince = db.prepare(
      `UPDATE deliveries SET via_summary = 0, ts = NULL, delivered_at = NULL, channel = ?, revision = ?,
         attempted_at = ?, followed = EXISTS (SELECT 1 FROM alert_followups f
           WHERE f.org_id = deliveries.org_id AND f.alert_id = deliveries.alert_id)
       WHERE org_id = ? AND alert_id = ? AND via_summary = 1`,
    );
    this.revised = db.prepare(
      "UPDATE deliveries SET revision = ? WHERE org_id = ? AND alert_id = ?",
    );
    this.byAlert = db.prepare<
      [string, number],
      {
        alert_id: number;
        channel: string;
        ts: string | null;
        revision: number;
        via_summary: number;
        rollup_hour: number | null;
      }
    >(
      "SELECT alert_id, channel, ts, revision, via_summary, rollup_hour FROM deliveries WHERE org_id = ? AND alert_id = ?",
    );
  }

  /** Most severe first, then oldest. */
  pending(orgId: string, limit: number): PendingAlert[] {
    return this.pendingQuery.all({ orgId, limit }).map((row) => {
      const delivery =
        row.d_channel === null
          ? undefined
          : {
              alertId: row.id,
              channel: row.d_channel,
              ts: row.d_ts,
              revision: row.d_revision ?? 0,
              viaSummary: row.d_via_summary === 1,
              rollupHour: row.d_rollup_hour,
            };
      const alert = rowToAlert(row);
      const kind =
        delivery === undefined ? "new" : delivery.revision < alert.revision ? "grown" : "in-flight";
      return { alert, kind, delivery, attemptedAt: row.d_attempted_at };
    });
  }

  /** Alerts never queued yet: the backlog that decides whether to summarise. */
  backlog(orgId: string): number {
    return this.countQuery.get({ orgId })?.n ?? 0;
  }

  /** Recorded when the alert's message is queued, with the revision it shows. */
  markQueued(orgId: string, alertId: number, channel: string, revision: number, now: number): void {
    this.start.run(orgId, alertId, channel, revision, now);
  }

  markDelivered(
    orgId: string,
    alertId: number,
    channel: string,
    ts: string,
    revision: number,
    now: number,
  ): void {
    this.done.run(ts, revision, channel, now, orgId, alertId);
  }

  /** Recorded when the summary counting these alerts is queued. */
  markSummarised(orgId: string, alertIds: readonly number[], channel: string, now: number): void {
    this.db.transaction(() => {
      for (const id of alertIds) this.summarised.run(orgId, id, channel, now);
    })();
  }

  /**
   * The summary (or roll-up) counting these alerts was posted, and where: in the channel it was
   * queued for, or in the alert channel it was moved to since.
   */
  markSummaryDelivered(
    orgId: string,
    alertIds: readonly number[],
    at: { channel: string; ts: string },
    now: number,
  ): void {
    this.db.transaction(() => {
      for (const id of alertIds) this.summaryDone.run(at.ts, at.channel, now, orgId, id);
    })();
  }

  /** Alerts counted in a summary whose message Slack has not taken yet. */
  summaryInFlight(orgId: string): Alert[] {
    return this.summaryPending.all(orgId).map(rowToAlert);
  }

  /** The first of those alerts (what names their summary), without reading them. */
  firstInFlightSummarised(orgId: string): number | undefined {
    return this.summaryFirst.get(orgId) ?? undefined;
  }

  /** Alerts queued to post alone since `from` (the channel's budget for the hour). */
  postedSince(orgId: string, from: number): number {
    return this.postedQuery.get(orgId, from)?.n ?? 0;
  }

  /**
   * Recorded when the alert goes into the hour's roll-up instead of a message of its own, with the
   * revision the roll-up shows (markRevision with each update of it): the alert is settled there
   * (migrations/0032), so a growth while the roll-up is on its way to Slack is still pending.
   */
  markRolledUp(
    orgId: string,
    alertId: number,
    channel: string,
    revision: number,
    hour: number,
    now: number,
  ): void {
    this.rolledUp.run(orgId, alertId, channel, revision, now, hour);
  }

  /** The alerts of an hour's roll-up. */
  rolledUpIn(orgId: string, hour: number): Alert[] {
    return this.rollupQuery.all(orgId, hour).map(rowToAlert);
  }

  /** Those of them posted alone since (they became high), by id. */
  postedAloneIn(orgId: string, hour: number): number[] {
    return this.aloneQuery.all(orgId, hour);
  }

  /**
   * Recorded when an alert counted in a roll-up or summary is queued to post alone (it became
   * high): as markQueued, the roll-up still counting it. False when it was not counted in one (it
   * has its own message already): its post is queued once.
   */
  markPostedAlone(
    orgId: string,
    alertId: number,
    channel: string,
    revision: number,
    now: number,
  ): boolean {
    return this.aloneSince.run(channel, revision, now, orgId, alertId).changes === 1;
  }

  /**
   * Slack refused this alert for good: kept with the reason, not tried again. The alert changes
   * too (updated_at): the App Home, which lists it now with its buttons, is shown anew.
   */
  markFailed(orgId: string, alertId: number, failure: string, now: number): void {
    this.db.transaction(() => {
      this.failed.run(failure, orgId, alertId);
      this.touched.run(now, orgId, alertId);
    })();
  }

  markRevision(orgId: string, alertId: number, revision: number): void {
    this.revised.run(revision, orgId, alertId);
  }

  get(orgId: string, alertId: number): Delivery | undefined {
    const row = this.byAlert.get(orgId, alertId);
    return row
      ? {
          alertId: row.alert_id,
          channel: row.channel,
          ts: row.ts,
          revision: row.revision,
          viaSummary: row.via_summary === 1,
          rollupHour: row.rollup_hour,
        }
      : undefined;
  }
}

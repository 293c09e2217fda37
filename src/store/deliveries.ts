import type { Alert } from "./alerts.js";
import { type AlertRow, rowToAlert } from "./alerts.js";
import type { Db } from "./open.js";

export interface Delivery {
  readonly alertId: number;
  readonly channel: string;
  readonly ts: string | null;
  readonly revision: number;
  readonly viaSummary: boolean;
}

/** An alert waiting for Slack, and what is to be done about it. */
export interface PendingAlert {
  readonly alert: Alert;
  /** new: never tried; in-flight: tried, outcome unknown; grown: posted, its group grew since. */
  readonly kind: "new" | "in-flight" | "grown";
  readonly delivery: Delivery | undefined;
}

interface PendingRow extends AlertRow {
  d_channel: string | null;
  d_ts: string | null;
  d_revision: number | null;
  d_via_summary: number | null;
}

const SEVERITY_ORDER =
  "CASE a.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 2 ELSE 3 END";

/** The outbox: which alerts Slack has yet to show, and the messages that show them. */
export class DeliveryStore {
  private readonly pendingQuery;
  private readonly countQuery;
  private readonly waitingQuery;
  private readonly start;
  private readonly done;
  private readonly summarised;
  private readonly summaryDone;
  private readonly summaryPending;
  private readonly revised;
  private readonly failed;
  private readonly byAlert;

  constructor(private readonly db: Db) {
    const pending = `FROM alerts a LEFT JOIN deliveries d ON d.org_id = a.org_id AND d.alert_id = a.id
      WHERE a.org_id = @orgId AND a.notify = 1
        AND (d.alert_id IS NULL OR (d.failure IS NULL AND d.via_summary = 0
          AND (d.ts IS NULL OR d.revision < a.revision)))`;
    this.pendingQuery = db.prepare<Record<string, unknown>, PendingRow>(
      `SELECT a.*, d.channel AS d_channel, d.ts AS d_ts, d.revision AS d_revision, d.via_summary AS d_via_summary
       ${pending} ORDER BY ${SEVERITY_ORDER}, a.id LIMIT @limit`,
    );
    this.countQuery = db.prepare<Record<string, unknown>, { n: number }>(
      `SELECT count(*) AS n ${pending} AND d.alert_id IS NULL`,
    );
    this.waitingQuery = db.prepare<Record<string, unknown>, { n: number }>(
      `SELECT count(*) AS n ${pending}`,
    );
    this.start = db.prepare(
      `INSERT INTO deliveries (org_id, alert_id, channel, ts, revision, via_summary, attempted_at)
       VALUES (?, ?, ?, NULL, ?, 0, ?) ON CONFLICT (org_id, alert_id) DO UPDATE SET attempted_at = excluded.attempted_at`,
    );
    this.done = db.prepare(
      "UPDATE deliveries SET ts = ?, revision = ?, channel = ?, delivered_at = ? WHERE org_id = ? AND alert_id = ?",
    );
    this.summarised = db.prepare(
      `INSERT INTO deliveries (org_id, alert_id, channel, ts, revision, via_summary, attempted_at)
       VALUES (?, ?, ?, NULL, 0, 1, ?) ON CONFLICT (org_id, alert_id) DO NOTHING`,
    );
    this.summaryDone = db.prepare(
      "UPDATE deliveries SET ts = ?, delivered_at = ? WHERE org_id = ? AND via_summary = 1 AND ts IS NULL",
    );
    this.summaryPending = db.prepare<[string], AlertRow>(
      `SELECT a.* FROM alerts a JOIN deliveries d ON d.org_id = a.org_id AND d.alert_id = a.id
       WHERE a.org_id = ? AND d.via_summary = 1 AND d.ts IS NULL ORDER BY a.id`,
    );
    this.failed = db.prepare("UPDATE deliveries SET failure = ? WHERE org_id = ? AND alert_id = ?");
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
      }
    >(
      "SELECT alert_id, channel, ts, revision, via_summary FROM deliveries WHERE org_id = ? AND alert_id = ?",
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
            };
      const kind = delivery === undefined ? "new" : delivery.ts === null ? "in-flight" : "grown";
      return { alert: rowToAlert(row), kind, delivery };
    });
  }

  /** Alerts never tried yet: the backlog that decides whether to summarise. */
  backlog(orgId: string): number {
    return this.countQuery.get({ orgId })?.n ?? 0;
  }

  /** Everything Slack has yet to show: new, in flight, or grown since posted. */
  waiting(orgId: string): number {
    return this.waitingQuery.get({ orgId })?.n ?? 0;
  }

  /** Recorded before posting, so a crash after Slack accepted the post is detectable. */
  markAttempt(
    orgId: string,
    alertId: number,
    channel: string,
    revision: number,
    now: number,
  ): void {
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

  /** Recorded before the summary is posted, like `markAttempt`. */
  markSummaryAttempt(
    orgId: string,
    alertIds: readonly number[],
    channel: string,
    now: number,
  ): void {
    this.db.transaction(() => {
      for (const id of alertIds) this.summarised.run(orgId, id, channel, now);
    })();
  }

  markSummaryDelivered(orgId: string, ts: string, now: number): void {
    this.summaryDone.run(ts, now, orgId);
  }

  /** Alerts of a summary whose post may or may not have reached Slack. */
  summaryInFlight(orgId: string): Alert[] {
    return this.summaryPending.all(orgId).map(rowToAlert);
  }

  /** Slack refused this alert for good: kept with the reason, not tried again. */
  markFailed(orgId: string, alertId: number, failure: string): void {
    this.failed.run(failure, orgId, alertId);
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
        }
      : undefined;
  }
}

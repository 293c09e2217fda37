import type { Alert } from "../domain/alert.js";
import type { Answer, AskState } from "../domain/follow-up.js";
import { type AlertRow, rowToAlert } from "./alerts.js";
import type { Db } from "./db.js";
import { NEWEST_EMAIL } from "./people-match.js";
import { stampedSince } from "./stamped-since.js";

export interface FollowUp {
  readonly alertId: number;
  readonly askState: AskState;
  readonly askedUser: string | null;
  readonly dmChannel: string | null;
  readonly dmTs: string | null;
  readonly answer: Answer | null;
  /** The person said yes and is no responder: the alert is theirs, and reminded of no more. */
  readonly confirmed: boolean;
  readonly reminders: number;
  readonly nextReminderAt: number | null;
}

/**
 * A posted alert and where its message is, for thread replies: for one counted in the hour's
 * roll-up or a backlog's summary, where that message is (no thread of its own).
 */
export interface PostedAlert {
  readonly alert: Alert;
  readonly channel: string;
  readonly ts: string;
  readonly deliveredAt: number;
}

interface FollowUpRow {
  alert_id: number;
  ask_state: string;
  asked_user: string | null;
  dm_channel: string | null;
  dm_ts: string | null;
  answer: string | null;
  answered_as_responder: number;
  reminders: number;
  next_reminder_at: number | null;
}

type PostedRow = AlertRow & { d_channel: string; d_ts: string; d_delivered_at: number };

const toFollowUp = (row: FollowUpRow): FollowUp => ({
  alertId: row.alert_id,
  askState: row.ask_state as AskState,
  askedUser: row.asked_user,
  dmChannel: row.dm_channel,
  dmTs: row.dm_ts,
  answer: row.answer as Answer | null,
  confirmed: row.answer === "yes" && row.answered_as_responder === 0,
  reminders: row.reminders,
  nextReminderAt: row.next_reminder_at,
});

const toPosted = (row: PostedRow): PostedAlert => ({
  alert: rowToAlert(row),
  channel: row.d_channel,
  ts: row.d_ts,
  deliveredAt: row.d_delivered_at,
});

const POSTED = `SELECT a.*, d.channel AS d_channel, d.ts AS d_ts, d.delivered_at AS d_delivered_at
  FROM alerts a JOIN deliveries d ON d.org_id = a.org_id AND d.alert_id = a.id`;

/**
 * The follow-ups of posted alerts: whom was asked and what they answered, and when the next
 * reminder is due. Each step is claimed in the database before Slack is called, so a restart
 * neither loses nor repeats one (a crash in the middle of the call itself loses that one message).
 */
export class FollowUpStore {
  private readonly fresh;
  private readonly due;
  private readonly one;
  private readonly insert;
  private readonly markSent;
  private readonly markNotAsked;
  private readonly markAnswer;
  private readonly claim;
  private readonly unclaim;
  private readonly resume;
  private readonly postponed;
  private readonly stop;
  private readonly forward;
  private readonly latest;
  private readonly newest;

  constructor(private readonly db: Db) {
    // Through deliveries_unfollowed (migrations/0031), the posted alerts without a follow-up
    // alone: named, as the planner would otherwise read every posted alert by deliveries_pending.
    // Posted: its own message, or the roll-up or summary counting it (its person is asked too).
    this.fresh = db.prepare<[string, number], PostedRow>(
      `SELECT a.*, d.channel AS d_channel, d.ts AS d_ts, d.delivered_at AS d_delivered_at
       FROM deliveries d INDEXED BY deliveries_unfollowed
         JOIN alerts a ON a.org_id = d.org_id AND a.id = d.alert_id
       WHERE d.org_id = ? AND d.followed = 0 AND d.ts IS NOT NULL
         AND d.delivered_at IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM alert_followups f WHERE f.org_id = a.org_id AND f.alert_id = a.id)
       ORDER BY d.alert_id LIMIT ?`,
    );
    this.due = db.prepare<[string, number, number], PostedRow & FollowUpRow>(
      `${POSTED} JOIN alert_followups f ON f.org_id = a.org_id AND f.alert_id = a.id
       WHERE f.org_id = ? AND f.next_reminder_at IS NOT NULL AND f.next_reminder_at <= ?
       ORDER BY f.next_reminder_at LIMIT ?`,
    );
    this.one = db.prepare<[string, number], FollowUpRow>(
      "SELECT * FROM alert_followups WHERE org_id = ? AND alert_id = ?",
    );
    this.insert = db.prepare(
      `INSERT OR IGNORE INTO alert_followups
         (org_id, alert_id, ask_state, asked_user, not_asked_reason, next_reminder_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.markSent = db.prepare(
      "UPDATE alert_followups SET ask_state = 'sent', dm_channel = ?, dm_ts = ? WHERE org_id = ? AND alert_id = ? AND ask_state = 'sending'",
    );
    this.markNotAsked = db.prepare(
      "UPDATE alert_followups SET ask_state = 'not-asked', not_asked_reason = ? WHERE org_id = ? AND alert_id = ? AND ask_state <> 'answered'",
    );
    this.markAnswer = db.prepare(
      `UPDATE alert_followups SET ask_state = 'answered', answer = @answer, answered_at = @now,
         answered_as_responder = @asResponder,
         next_reminder_at = CASE WHEN @answer = 'yes' AND @asResponder = 0 THEN NULL ELSE next_reminder_at END
       WHERE org_id = @orgId AND alert_id = @alertId AND answer IS NULL
         AND (ask_state IN ('sent', 'sending') OR (ask_state = 'not-asked' AND asked_user IS NOT NULL))`,
    );
    this.claim = db.prepare(
      "UPDATE alert_followups SET reminders = reminders + 1, next_reminder_at = ? WHERE org_id = ? AND alert_id = ? AND reminders = ?",
    );
    this.unclaim = db.prepare(
      "UPDATE alert_followups SET reminders = reminders - 1 WHERE org_id = ? AND alert_id = ? AND reminders = ?",
    );
    this.postponed = db.prepare(
      "UPDATE alert_followups SET next_reminder_at = ? WHERE org_id = ? AND alert_id = ? AND reminders = ?",
    );
    this.resume = db.prepare(
      "UPDATE alert_followups SET next_reminder_at = ? WHERE org_id = ? AND alert_id = ? AND reminders < 2 AND next_reminder_at IS NULL",
    );
    this.stop = db.prepare(
      "UPDATE alert_followups SET next_reminder_at = NULL WHERE org_id = ? AND alert_id = ?",
    );
    this.forward = db.prepare(
      "UPDATE alert_followups SET next_reminder_at = ? WHERE org_id = ? AND next_reminder_at > ?",
    );
    this.latest = db
      .prepare<[string], number | null>(
        "SELECT max(next_reminder_at) FROM alert_followups WHERE org_id = ?",
      )
      .pluck();
    this.newest = db.prepare<[string, string, number], { email: string; time: number }>(
      NEWEST_EMAIL,
    );
  }

  /** Posted alerts (alone, or in a roll-up or summary) that have no follow-up yet, oldest first. */
  unseen(orgId: string, limit = 50): PostedAlert[] {
    return this.fresh.all(orgId, limit).map(toPosted);
  }

  /** Alerts whose reminder time has come. */
  dueReminders(orgId: string, now: number, limit = 50): PostedAlert[] {
    return this.due.all(orgId, now, limit).map(toPosted);
  }

  /** When this database was first run by a release that stamps its buttons (see stampedSince). */
  stampedSince(): number {
    return stampedSince(this.db);
  }

  get(orgId: string, alertId: number): FollowUp | undefined {
    const row = this.one.get(orgId, alertId);
    return row ? toFollowUp(row) : undefined;
  }

  /** Starts an alert's follow-up: `sending` claims the question before the DM goes out. */
  start(
    orgId: string,
    alertId: number,
    ask: { state: "none" | "sending" | "not-asked"; user?: string; reason?: string },
    nextReminderAt: number | null,
    now: number,
  ): boolean {
    const { changes } = this.insert.run(
      orgId,
      alertId,
      ask.state,
      ask.user ?? null,
      ask.reason ?? null,
      nextReminderAt,
      now,
    );
    return changes === 1;
  }

  /** The question reached the person: where it is, to update it once answered. */
  sent(orgId: string, alertId: number, channel: string, ts: string): void {
    this.markSent.run(channel, ts, orgId, alertId);
  }

  /** The DM could not be sent: the person is not asked. */
  /**
   * Records why the person was not asked; false (nothing changed) when they answered already —
   * a question Slack kept although its sending was given up can still be answered.
   */
  notAsked(orgId: string, alertId: number, reason: string): boolean {
    return this.markNotAsked.run(reason, orgId, alertId).changes === 1;
  }

  /**
   * Records the first answer; false when the alert was answered already. `asResponder`: the
   * person is a responder, whose "yes" about themselves stops no reminder.
   */
  answer(
    orgId: string,
    alertId: number,
    answer: Answer,
    now: number,
    asResponder = false,
  ): boolean {
    return (
      this.markAnswer.run({ answer, now, asResponder: asResponder ? 1 : 0, orgId, alertId })
        .changes === 1
    );
  }

  /** Claims reminder number `reminders + 1`; false when another pass claimed it first. */
  claimReminder(
    orgId: string,
    alertId: number,
    reminders: number,
    nextReminderAt: number | null,
  ): boolean {
    return this.claim.run(nextReminderAt, orgId, alertId, reminders).changes === 1;
  }

  /**
   * Reminder number `number` was dropped unsent (the alert was handled as it was queued): it is
   * not counted, so a reopening starts the reminders again as if it had never been claimed.
   */
  giveBackReminder(orgId: string, alertId: number, number: number): void {
    this.unclaim.run(orgId, alertId, number);
  }

  /**
   * The reminder due now is not sent (the alert is below escalation.minSeverity): looked at again
   * at `at`, still counted as not sent; false when another pass moved it first.
   */
  postpone(orgId: string, alertId: number, reminders: number, at: number | null): boolean {
    return this.postponed.run(at, orgId, alertId, reminders).changes === 1;
  }

  /** Reminders start again (the alert was reopened by a "no"), unless both were sent. */
  resumeReminders(orgId: string, alertId: number, at: number | null): void {
    this.resume.run(at, orgId, alertId);
  }

  /** When the reminder due last is due (the index `alert_followups_due` seeks it); undefined with none. */
  latestReminder(orgId: string): number | undefined {
    return this.latest.get(orgId) ?? undefined;
  }

  /**
   * Reminders due later than `beyond` (set by a clock that was ahead, since NTP stepped it back,
   * or under escalation rules since shortened) are due at `latest`; how many.
   */
  bringForward(orgId: string, latest: number, beyond: number): number {
    return this.forward.run(latest, orgId, beyond).changes;
  }

  /** No more reminders for this alert (it was handled). */
  stopReminders(orgId: string, alertId: number): void {
    this.stop.run(orgId, alertId);
  }

  /**
   * The e-mail address an account has now (that of its newest MCP call), and when that call was
   * made: whom to ask about it.
   */
  addressNow(
    orgId: string,
    userId: string,
    now: number,
  ): { email: string; time: number } | undefined {
    return this.newest.get(orgId, userId, now + 1);
  }
}

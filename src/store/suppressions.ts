import type { ListedSuppression, StoredSuppression } from "../domain/suppression.js";
import type { Db } from "./db.js";

/** What an alert a suppression kept quiet says about it (`suppressed_by`). */
export const suppressionLabel = (s: Pick<StoredSuppression, "createdBy" | "reason">): string =>
  `suppressed by <@${s.createdBy}>: ${s.reason}`;

interface Row {
  id: number;
  org_id: string;
  rule_id: string;
  user_key: string;
  subject: string | null;
  subject_label: string | null;
  reason: string;
  alert_id: number | null;
  created_by: string;
  created_at: number;
}

const toSuppression = (row: Row): StoredSuppression => ({
  id: row.id,
  orgId: row.org_id,
  ruleId: row.rule_id,
  userKey: row.user_key,
  ...(row.subject === null
    ? {}
    : { subject: row.subject, subjectLabel: row.subject_label ?? row.subject }),
  reason: row.reason,
  alertId: row.alert_id,
  createdBy: row.created_by,
  createdAt: row.created_at,
});

/**
 * The suppressions table: added by responders (the rules file's own stay in the file), never
 * deleted, only marked removed, so who added and who removed each stays known.
 */
export class SuppressionStore {
  private readonly insert;
  private readonly covering;
  private readonly ofPerson;
  private readonly orgsInForce;
  private readonly active;
  private readonly remove;
  private readonly setAhead;

  constructor(db: Db) {
    this.insert = db.prepare(
      `INSERT INTO suppressions (org_id, rule_id, user_key, subject, subject_label, reason, alert_id,
         created_by, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    // Like a mute, a suppression covers what happens after it was added (see DetectionEngine.quietedBy).
    // And, like an ended mute, a removed one covers nothing judged after its removal. One with a
    // subject covers it alone.
    this.covering = db.prepare<
      {
        org: string;
        rule: string;
        who: string;
        subject: string | null;
        at: number;
        readAt: number;
      },
      Row
    >(
      `SELECT * FROM suppressions WHERE org_id = @org AND rule_id = @rule AND user_key = @who
         AND (subject IS NULL OR subject = @subject)
         AND created_at <= @at AND (removed_at IS NULL OR removed_at > @readAt) ORDER BY id LIMIT 1`,
    );
    this.orgsInForce = db.prepare<[string], { org_id: string }>(
      "SELECT DISTINCT org_id FROM suppressions WHERE user_key = ? AND removed_at IS NULL ORDER BY org_id",
    );
    this.ofPerson = db.prepare<[string, string], Row>(
      "SELECT * FROM suppressions WHERE org_id = ? AND user_key = ? AND removed_at IS NULL ORDER BY id",
    );
    this.active = db.prepare<
      [{ org: string | null }],
      Row & { person: string | null; alert_created_at: number | null }
    >(
      `SELECT s.*, coalesce(a.user_name, a.user_email) AS person, a.created_at AS alert_created_at
       FROM suppressions s
         LEFT JOIN alerts a ON a.id = s.alert_id
       WHERE s.removed_at IS NULL AND (@org IS NULL OR s.org_id = @org) ORDER BY s.id`,
    );
    this.remove = db.prepare(
      "UPDATE suppressions SET removed_by = ?, removed_at = ? WHERE id = ? AND removed_at IS NULL",
    );
    this.setAhead = db.prepare(
      "UPDATE suppressions SET created_at = ? WHERE org_id = ? AND created_at > ?",
    );
  }

  add(
    orgId: string,
    s: Pick<
      StoredSuppression,
      "ruleId" | "userKey" | "subject" | "subjectLabel" | "reason" | "alertId"
    >,
    createdBy: string,
    now: number,
  ): number {
    const { lastInsertRowid } = this.insert.run(
      orgId,
      s.ruleId,
      s.userKey,
      s.subject ?? null,
      s.subject === undefined ? null : (s.subjectLabel ?? null),
      s.reason,
      s.alertId,
      createdBy,
      now,
    );
    return Number(lastInsertRowid);
  }

  /**
   * The suppression of this rule and person covering `subject` (see MuteStore.reasonAt) added by
   * `at` and not removed by `readAt` (when the rules judge: a replay judges as the bot did then),
   * if any.
   */
  coveringAt(
    orgId: string,
    ruleId: string,
    userKey: string,
    at: number,
    readAt = at,
    subject?: string,
  ): StoredSuppression | undefined {
    const row = this.covering.get({
      org: orgId,
      rule: ruleId,
      who: userKey,
      subject: subject ?? null,
      at,
      readAt,
    });
    return row && toSuppression(row);
  }

  /**
   * Suppressions added later than `now` (by a clock that was ahead, since NTP stepped it back)
   * are added now: they cover what happens from now on. How many.
   */
  setAheadToNow(orgId: string, now: number): number {
    return this.setAhead.run(now, orgId, now).changes;
  }

  /** Every suppression in force, of one organization or of all, oldest first. */
  list(orgId?: string): ListedSuppression[] {
    return this.active.all({ org: orgId ?? null }).map((row) => ({
      ...toSuppression(row),
      person: row.person ?? row.user_key,
      alertCreatedAt: row.alert_created_at,
    }));
  }

  /** The organizations where a suppression about this person is in force. */
  orgsOf(userKey: string): string[] {
    return this.orgsInForce.all(userKey).map((r) => r.org_id);
  }

  /**
   * Removes the suppression `/mcp-activity settings` lists with this id, when it is one of this
   * rule and person in force; returns it.
   */
  removeListed(
    orgId: string,
    userKey: string,
    ruleId: string,
    id: number,
    by: string,
    now: number,
  ): StoredSuppression[] {
    const removed = this.ofPerson
      .all(orgId, userKey)
      .map(toSuppression)
      .filter((s) => s.id === id && s.ruleId === ruleId);
    for (const s of removed) this.remove.run(by, now, s.id);
    return removed;
  }

  /** Removes this person's suppressions of one rule, or of every rule; returns what was removed. */
  removeFor(
    orgId: string,
    userKey: string,
    ruleId: string | undefined,
    by: string,
    now: number,
    /** Only those covering it (see MuteStore.endFor). */
    subject?: string,
  ): StoredSuppression[] {
    const removed = this.ofPerson
      .all(orgId, userKey)
      .map(toSuppression)
      .filter((s) => ruleId === undefined || s.ruleId === ruleId)
      .filter((s) => subject === undefined || s.subject === undefined || s.subject === subject);
    for (const s of removed) this.remove.run(by, now, s.id);
    return removed;
  }
}

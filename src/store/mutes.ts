import { type ListedMute, type Mute, muteLabel, type SetMute } from "../domain/mute.js";
import type { Db } from "./db.js";

interface MuteRow {
  id: number;
  rule_id: string;
  user_key: string;
  subject: string | null;
  subject_label: string | null;
  until: number;
  reason: string;
  created_by: string;
  created_at: number;
}

/** Rule-and-person patterns (one subject of them, or every one) kept out of Slack for a while (alerts still stored and counted). */
export class MuteStore {
  private readonly insert;
  private readonly active;
  private readonly covering;
  private readonly end;
  private readonly orgsRunning;
  private readonly ofRule;
  private readonly patterns;
  private readonly setAhead;

  constructor(db: Db) {
    this.insert = db.prepare(
      "INSERT INTO mutes (org_id, rule_id, user_key, subject, subject_label, until, reason, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    // A mute covers what happens after it was set, and what the engine judges covered (see
    // DetectionEngine.quietedBy): never backfilled history. One with a subject covers it alone.
    this.active = db.prepare<
      {
        org: string;
        rule: string;
        who: string;
        subject: string | null;
        at: number;
        setBy: number;
        readAt: number;
      },
      { reason: string; created_by: string }
    >(
      `SELECT reason, created_by FROM mutes WHERE org_id = @org AND rule_id = @rule AND user_key = @who
         AND (subject IS NULL OR subject = @subject)
         AND until > @at AND created_at <= @setBy AND (ended_at IS NULL OR ended_at > @readAt)
       ORDER BY until DESC LIMIT 1`,
    );
    this.covering = db.prepare<[string, string, number], MuteRow>(
      "SELECT * FROM mutes WHERE org_id = ? AND user_key = ? AND until > ? ORDER BY id",
    );
    this.orgsRunning = db.prepare<[string, number], { org_id: string }>(
      "SELECT DISTINCT org_id FROM mutes WHERE user_key = ? AND until > ? ORDER BY org_id",
    );
    this.end = db.prepare(
      "UPDATE mutes SET until = @now, ended_at = @now WHERE id = @id AND until > @now",
    );
    // One row per pattern: max(until) picks the longest mute's other columns (SQLite's bare
    // columns), and the pattern's newest alert is found through alerts_user.
    this.patterns = db.prepare<
      { org: string | null; now: number },
      MuteRow & {
        org_id: string;
        mutes: number;
        alert_id: number | null;
        alert_created_at: number | null;
        person: string | null;
      }
    >(
      `SELECT m.*, a.id AS alert_id, a.created_at AS alert_created_at,
         coalesce(a.user_name, a.user_email) AS person
       FROM (SELECT id, org_id, rule_id, user_key, subject, subject_label, max(until) AS until,
               reason, created_by, created_at, count(*) AS mutes
             FROM mutes WHERE until > @now AND (@org IS NULL OR org_id = @org)
             GROUP BY org_id, rule_id, user_key, subject) m
       LEFT JOIN alerts a ON a.id = (SELECT id FROM alerts
         -- The person as quietKey keys them: the account, else "email:" and the e-mail.
         WHERE org_id = m.org_id AND rule_id = m.rule_id AND (user_id = m.user_key
           OR (user_id IS NULL AND 'email:' || lower(user_email) = m.user_key))
           AND (m.subject IS NULL OR subject = m.subject)
         ORDER BY created_at DESC LIMIT 1)
       ORDER BY m.until, m.id`,
    );
    this.setAhead = db.prepare<{ org: string; now: number }>(
      `UPDATE mutes SET until = until - (created_at - @now),
         ended_at = ended_at - (created_at - @now), created_at = @now
       WHERE org_id = @org AND created_at > @now`,
    );
    // Those covering a subject (null: those of every subject and of each).
    this.ofRule = db.prepare<
      { org: string; rule: string; who: string; subject: string | null; now: number },
      MuteRow
    >(
      `SELECT * FROM mutes WHERE org_id = @org AND rule_id = @rule AND user_key = @who AND until > @now
         AND (@subject IS NULL OR subject IS NULL OR subject = @subject) ORDER BY until DESC`,
    );
  }

  add(orgId: string, mute: Mute, createdBy: string, now: number): void {
    this.insert.run(
      orgId,
      mute.ruleId,
      mute.userKey,
      mute.subject ?? null,
      mute.subject === undefined ? null : (mute.subjectLabel ?? null),
      mute.until,
      mute.reason,
      createdBy,
      now,
    );
  }

  /**
   * The label (see muteLabel) of a mute of this rule and person covering `subject` (the finding's,
   * see Alert.subject; none: only mutes of every subject cover it) running at `at`, set by
   * `setBy` and not ended by `readAt` (a call made while a mute ran, read after it was ended, is
   * not kept quiet), if any.
   */
  reasonAt(
    orgId: string,
    ruleId: string,
    userKey: string,
    at: number,
    {
      setBy = at,
      readAt = setBy,
      subject,
    }: { setBy?: number; readAt?: number; subject?: string | undefined } = {},
  ): string | undefined {
    const row = this.active.get({
      org: orgId,
      rule: ruleId,
      who: userKey,
      subject: subject ?? null,
      at,
      setBy,
      readAt,
    });
    return row && muteLabel({ reason: row.reason, createdBy: row.created_by });
  }

  /**
   * Mutes set later than `now` (by a clock that was ahead, since NTP stepped it back) are moved
   * back to start now, each running as long as it was set for; how many.
   */
  setAheadToNow(orgId: string, now: number): number {
    return this.setAhead.run({ org: orgId, now }).changes;
  }

  /** The organizations where a mute of this person is still running. */
  orgsOf(userKey: string, now: number): string[] {
    return this.orgsRunning.all(userKey, now).map((r) => r.org_id);
  }

  /**
   * The mutes of this rule and person still running that cover `subject` (undefined: each of
   * them, whatever it covers), the longest first.
   */
  running(
    orgId: string,
    ruleId: string,
    userKey: string,
    now: number,
    subject?: string,
  ): SetMute[] {
    return this.ofRule
      .all({ org: orgId, rule: ruleId, who: userKey, subject: subject ?? null, now })
      .map(toMute);
  }

  /** Every pattern muted now, of one organization or of all, the soonest to end first. */
  list(now: number, orgId?: string): ListedMute[] {
    return this.patterns.all({ org: orgId ?? null, now }).map((row) => ({
      ...toMute(row),
      orgId: row.org_id,
      mutes: row.mutes,
      person: row.person ?? row.user_key,
      alertId: row.alert_id,
      alertCreatedAt: row.alert_created_at,
    }));
  }

  /**
   * Ends this person's mutes of one rule (those covering `subject`, when given), or of every rule
   * (they said an alert was not them); with `which`, only those whose reason it accepts.
   */
  endFor(
    orgId: string,
    userKey: string,
    now: number,
    ruleId?: string,
    which: (reason: string) => boolean = () => true,
    subject?: string,
  ): SetMute[] {
    const running = (
      ruleId === undefined
        ? this.covering.all(orgId, userKey, now)
        : this.ofRule.all({ org: orgId, rule: ruleId, who: userKey, subject: subject ?? null, now })
    ).filter((m) => which(m.reason));
    for (const mute of running) this.end.run({ now, id: mute.id });
    return running.map(toMute);
  }

  /**
   * Ends the pattern `/mcp-activity settings` lists with this mute (see list): the running mutes
   * of this rule and person covering exactly what it covers, its subject or every subject. None
   * when it is not one of theirs running.
   */
  endListed(orgId: string, userKey: string, ruleId: string, id: number, now: number): SetMute[] {
    const running = this.ofRule.all({ org: orgId, rule: ruleId, who: userKey, subject: null, now });
    const listed = running.find((m) => m.id === id);
    if (!listed) return [];
    const same = running.filter((m) => m.subject === listed.subject);
    for (const mute of same) this.end.run({ now, id: mute.id });
    return same.map(toMute);
  }
}

const toMute = (m: MuteRow): SetMute => ({
  id: m.id,
  ruleId: m.rule_id,
  userKey: m.user_key,
  ...(m.subject === null ? {} : { subject: m.subject, subjectLabel: m.subject_label ?? m.subject }),
  until: m.until,
  reason: m.reason,
  createdBy: m.created_by,
  createdAt: m.created_at,
});

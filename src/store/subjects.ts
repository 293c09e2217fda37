import type { Db } from "./db.js";

/** An alert about a subject, and the time of the event it was raised for. */
export interface AlertedSubject {
  readonly alertId: number;
  readonly alertedAt: number;
}

/**
 * The subjects alerted about (posted, whatever the rule's mode then), which `once` keeps quiet:
 * how long one stays known is the rule's current `onceDays`, counted from its latest alert (see
 * onceState). The store, or memory in `rules test`.
 */
export interface SubjectRegistry {
  /** The subject's latest alert: the one raised for the latest event. */
  alerted(orgId: string, ruleId: string, subject: string): AlertedSubject | undefined;
  /** An alert about the subject brought to the channel, dated at the call that brought it (`at`). */
  record(orgId: string, ruleId: string, subject: string, alertId: number, at: number): void;
}

/** A subject the bot had alerted about before a time: what a replay from then starts knowing. */
export interface SubjectAlerted {
  readonly orgId: string;
  readonly ruleId: string;
  readonly subject: string;
  readonly alertedAt: number;
}

/** The alert_subjects table: each alert about a subject, kept until retention forgets it. */
export class SubjectStore implements SubjectRegistry {
  private readonly one;
  private readonly insert;
  private readonly before;
  private readonly old;

  constructor(db: Db) {
    this.one = db.prepare<[string, string, string], { alert_id: number; first_at: number }>(
      `SELECT alert_id, first_at FROM alert_subjects WHERE org_id = ? AND rule_id = ? AND subject = ?
       ORDER BY first_at DESC, alert_id DESC LIMIT 1`,
    );
    this.insert = db.prepare(
      `INSERT INTO alert_subjects (org_id, rule_id, subject, alert_id, first_at) VALUES (?, ?, ?, ?, ?)`,
    );
    // A scan of the organization's rows on the primary key (what retention keeps), each subject's
    // latest before the time (SQLite takes alert_id from the row of max(first_at)), its alert
    // looked up by its id.
    this.before = db.prepare<
      [string, number],
      { rule_id: string; subject: string; first_at: number }
    >(
      `SELECT rule_id, subject, first_at FROM (
         SELECT rule_id, subject, max(first_at) AS first_at, alert_id FROM alert_subjects
         WHERE org_id = ? AND first_at < ? GROUP BY rule_id, subject) s
       WHERE NOT EXISTS (SELECT 1 FROM alerts a WHERE a.id = s.alert_id AND a.status = 'true_positive')`,
    );
    this.old = db.prepare(
      `DELETE FROM alert_subjects WHERE org_id = @orgId
         AND first_at < coalesce((SELECT value FROM json_each(@longer) WHERE key = rule_id), @before)
         AND NOT EXISTS (SELECT 1 FROM alerts a
           WHERE a.id = alert_subjects.alert_id AND a.last_seen >= @before)`,
    );
  }

  /**
   * Forgets the subjects of `orgId` whose latest alert is older than `before`, or for a rule of
   * `longer` than its own time (onceDays longer than the retention), and took its last call before
   * `before` (a token used every few minutes keeps its alert taking calls: it stays quiet); how many.
   */
  forget(orgId: string, before: number, longer: Readonly<Record<string, number>>): number {
    return this.old.run({ orgId, before, longer: JSON.stringify(longer) }).changes;
  }

  /**
   * The subjects alerted about before `at`, each with its latest alert before it: what the bot knew
   * then. One whose alert a responder confirmed is left out, as the bot alerts about it anew.
   */
  alertedBefore(orgId: string, at: number): SubjectAlerted[] {
    return this.before.all(orgId, at).map((row) => ({
      orgId,
      ruleId: row.rule_id,
      subject: row.subject,
      alertedAt: row.first_at,
    }));
  }

  alerted(orgId: string, ruleId: string, subject: string): AlertedSubject | undefined {
    const row = this.one.get(orgId, ruleId, subject);
    return row ? { alertId: row.alert_id, alertedAt: row.first_at } : undefined;
  }

  record(orgId: string, ruleId: string, subject: string, alertId: number, at: number): void {
    this.insert.run(orgId, ruleId, subject, alertId, at);
  }
}

/** The same in memory, for replays that store nothing. */
export class MemorySubjects implements SubjectRegistry {
  private readonly subjects = new Map<string, AlertedSubject>();

  alerted(orgId: string, ruleId: string, subject: string): AlertedSubject | undefined {
    return this.subjects.get(`${orgId}\u0000${ruleId}\u0000${subject}`);
  }

  record(orgId: string, ruleId: string, subject: string, alertId: number, at: number): void {
    const key = `${orgId}\u0000${ruleId}\u0000${subject}`;
    const latest = this.subjects.get(key);
    if (!latest || at >= latest.alertedAt) this.subjects.set(key, { alertId, alertedAt: at });
  }
}

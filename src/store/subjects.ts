import type { Db } from "./db.js";

/** A subject already alerted about (`once` mode), and until when it stays known. */
export interface KnownSubject {
  readonly alertId: number;
  readonly firstAt: number;
  readonly until: number | null;
}

/** What the engine asks of the subjects alerted about: the store, or memory in `rules test`. */
export interface SubjectRegistry {
  known(orgId: string, ruleId: string, subject: string, at: number): KnownSubject | undefined;
  record(
    orgId: string,
    ruleId: string,
    subject: string,
    alertId: number,
    at: number,
    until: number | null,
  ): void;
}

/** A subject the bot knew at a time: what a replay from then starts knowing. */
export interface SubjectKnown {
  readonly orgId: string;
  readonly ruleId: string;
  readonly subject: string;
  readonly firstAt: number;
  readonly until: number | null;
}

/** The alert_subjects table. */
export class SubjectStore implements SubjectRegistry {
  private readonly one;
  private readonly upsert;
  private readonly at;

  constructor(db: Db) {
    this.one = db.prepare<
      [string, string, string, number],
      { alert_id: number; first_at: number; until: number | null }
    >(
      `SELECT alert_id, first_at, until FROM alert_subjects
       WHERE org_id = ? AND rule_id = ? AND subject = ? AND (until IS NULL OR until > ?)`,
    );
    this.upsert = db.prepare(
      `INSERT INTO alert_subjects (org_id, rule_id, subject, alert_id, first_at, until)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (org_id, rule_id, subject) DO UPDATE SET
         alert_id = excluded.alert_id, first_at = excluded.first_at, until = excluded.until`,
    );
    // One row per subject of a `once` rule (an account, a person's country): a scan of the
    // organization's rows on the primary key, each alert looked up by its id.
    this.at = db.prepare<
      [string, number, number],
      { rule_id: string; subject: string; first_at: number; until: number | null }
    >(
      `SELECT rule_id, subject, first_at, until FROM alert_subjects s
       WHERE org_id = ? AND first_at < ? AND (until IS NULL OR until > ?)
         AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.id = s.alert_id AND a.status = 'true_positive')`,
    );
  }

  /**
   * The subjects known at `at`: alerted about before it and not forgotten yet. One whose alert a
   * responder confirmed is left out, as the bot alerts about it anew.
   */
  knownAt(orgId: string, at: number): SubjectKnown[] {
    return this.at.all(orgId, at, at).map((row) => ({
      orgId,
      ruleId: row.rule_id,
      subject: row.subject,
      firstAt: row.first_at,
      until: row.until,
    }));
  }

  known(orgId: string, ruleId: string, subject: string, at: number): KnownSubject | undefined {
    const row = this.one.get(orgId, ruleId, subject, at);
    return row ? { alertId: row.alert_id, firstAt: row.first_at, until: row.until } : undefined;
  }

  record(
    orgId: string,
    ruleId: string,
    subject: string,
    alertId: number,
    at: number,
    until: number | null,
  ): void {
    this.upsert.run(orgId, ruleId, subject, alertId, at, until);
  }
}

/** The same in memory, for replays that store nothing. */
export class MemorySubjects implements SubjectRegistry {
  private readonly subjects = new Map<string, KnownSubject>();

  known(orgId: string, ruleId: string, subject: string, at: number): KnownSubject | undefined {
    const known = this.subjects.get(`${orgId}\u0000${ruleId}\u0000${subject}`);
    return known && (known.until === null || known.until > at) ? known : undefined;
  }

  record(
    orgId: string,
    ruleId: string,
    subject: string,
    alertId: number,
    at: number,
    until: number | null,
  ): void {
    this.subjects.set(`${orgId}\u0000${ruleId}\u0000${subject}`, { alertId, firstAt: at, until });
  }
}

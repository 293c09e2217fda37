import type { Statement } from "better-sqlite3";
import type { Alert, CountedCalls, Growth, NewAlert } from "../domain/alert.js";
import { keyedBy } from "../domain/person-key.js";
import { type AlertAbout, countedLinker, linkAbout } from "./alert-links.js";
import { type AlertRow, rowToAlert } from "./alert-row.js";
import type { Db } from "./db.js";
import { samePerson } from "./same-person.js";

export { type AlertRow, rowToAlert };

/** An event linked to an alert, with the title of the finding that linked it (none before 0039). */
export interface JoinedLink {
  readonly seq: number;
  readonly title: string | null;
}

/** What an alert `holding` a call must be about: the finding's person, or its subject. */
export interface HoldingAbout {
  readonly userKey: string | undefined;
  readonly subject: string | undefined;
}

/** An alert's events counted at most this far back for a growth reply's "…and N earlier". */
const MAX_COUNTED = 10_000;

export class AlertStore {
  private readonly groupable;
  private readonly holdingCall;
  private readonly insertAlert;
  private readonly growAlert;
  private linkStatement: Statement<[string, number, number, string | null]> | undefined;
  private joinedStatement: Statement<[string, number, number, number], JoinedLink> | undefined;
  private titledStatement: Statement<[string, number, string], number> | undefined;
  private countedLink: ReturnType<typeof countedLinker> | undefined;
  private readonly joinedCount;
  private readonly byId;
  private readonly readState;
  private readonly writeState;
  private readonly tallyQuery;
  private readonly expectedQuery;
  private readonly confirmedQuery;

  constructor(private readonly db: Db) {
    // An alert counted only in a backlog's summary is never shown again: it takes no more
    // events (the next finding opens an alert the channel shows). One in an hour's roll-up does:
    // the roll-up is updated with it. Acknowledged takes them too (takesFindings), but for a high
    // finding not of its own burst (takesFinding, in grouping.ts: it opens a new alert, then the
    // group's newest).
    const takes = `alerts.status IN ('open', 'acknowledged')
         AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.org_id = alerts.org_id
           AND d.alert_id = alerts.id AND d.via_summary = 1 AND d.rollup_hour IS NULL)`;
    this.groupable = db.prepare<[string, string, number, number], AlertRow>(
      `SELECT * FROM alerts WHERE org_id = ? AND group_key = ? AND last_seen >= ? AND first_seen <= ?
         AND ${takes} ORDER BY id DESC LIMIT 1`,
    );
    // By the call's links (alert_events_seq): a few rows.
    this.holdingCall = db.prepare<
      [string, number, string, string | null, string | null, string | null],
      AlertRow
    >(
      `SELECT alerts.* FROM alert_events e JOIN alerts ON alerts.id = e.alert_id
       WHERE e.org_id = ? AND e.event_seq = ? AND alerts.rule_id = ? AND ${takes}
         AND (${samePerson("alerts")} OR (alerts.about_organization = 1 AND alerts.subject IS ?))
       ORDER BY alerts.id DESC LIMIT 1`,
    );
    this.insertAlert = db.prepare(
      `INSERT INTO alerts (org_id, rule_id, severity, group_key, title, detail, user_id, user_name, user_email,
         auth_kind, first_event_seq, last_event_seq, first_seen, last_seen, event_count, tools, late,
         suppressed_by, notify, subject, about_organization, created_at, updated_at)
       VALUES (@orgId, @ruleId, @severity, @groupKey, @title, @detail, @userId, @userName, @userEmail,
         @authKind, @firstEventSeq, @lastEventSeq, @firstSeen, @lastSeen, @eventCount, @tools, @late,
         @suppressedBy, @notify, @subject, @aboutOrganization, @createdAt, @createdAt)`,
    );
    this.growAlert = db.prepare(
      `UPDATE alerts SET event_count = event_count + 1, last_event_seq = @seq, first_seen = min(first_seen, @time),
         last_seen = max(last_seen, @time), tools = @tools, late = max(late, @late), revision = revision + 1,
         severity = @severity, notify = max(notify, @notify), title = coalesce(@title, title), detail = coalesce(@detail, detail),
         updated_at = @now WHERE id = @id`,
    );
    this.joinedCount = db.prepare<[string, number, number, number], { n: number }>(
      `SELECT count(*) AS n FROM (SELECT 1 FROM alert_events
         WHERE org_id = ? AND alert_id = ? AND event_seq > ? LIMIT ?)`,
    );
    this.byId = db.prepare<[number], AlertRow>("SELECT * FROM alerts WHERE id = ?");
    this.readState = db.prepare<[string], { last_seq: number }>(
      "SELECT last_seq FROM detection_state WHERE org_id = ?",
    );
    this.writeState = db.prepare(
      `INSERT INTO detection_state (org_id, last_seq, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (org_id) DO UPDATE SET last_seq = excluded.last_seq, updated_at = excluded.updated_at`,
    );
    this.tallyQuery = db.prepare<[string], { ruleId: string; severity: string; count: number }>(
      "SELECT rule_id AS ruleId, severity, n AS count FROM alert_counts WHERE org_id = ? AND n > 0 ORDER BY rule_id, severity",
    );
    this.expectedQuery = db.prepare<
      [string, string, string | null, string | null, number],
      { n: number }
    >(
      // The person's expected alerts first (alerts_expected), then their trail: not the
      // organization's whole trail. A change by the person asked about the alert (their "yes,
      // that was me") is theirs, not a responder's.
      `SELECT count(DISTINCT a.id) AS n FROM alerts a
         CROSS JOIN alert_trail t ON t.org_id = a.org_id AND t.alert_id = a.id
       WHERE a.org_id = ? AND a.rule_id = ? AND ${samePerson("a")}
         AND a.status = 'expected' AND t.to_status = 'expected' AND t.from_status != 'expected'
         AND t.at >= ?
         AND NOT EXISTS (SELECT 1 FROM alert_followups f
           WHERE f.org_id = t.org_id AND f.alert_id = t.alert_id AND f.asked_user = t.actor)`,
    );
    this.confirmedQuery = db
      .prepare<[string, string, string | null, string | null], number | null>(
        `SELECT max(t.at) FROM alerts a
           CROSS JOIN alert_trail t ON t.org_id = a.org_id AND t.alert_id = a.id
         WHERE a.org_id = ? AND a.rule_id = ? AND ${samePerson("a")}
           AND a.status = 'true_positive' AND t.to_status = 'true_positive'`,
      )
      .pluck();
  }

  // Prepared at first use, not with the store: a store opened on a database before 0039 (an
  // upgrade's tests make one) reads and writes no titles until migrated.
  private get link() {
    this.linkStatement ??= this.db.prepare(
      "INSERT OR IGNORE INTO alert_events (org_id, alert_id, event_seq, title) VALUES (?, ?, ?, ?)",
    );
    return this.linkStatement;
  }

  private get joined() {
    this.joinedStatement ??= this.db.prepare(
      "SELECT event_seq AS seq, title FROM alert_events WHERE org_id = ? AND alert_id = ? AND event_seq > ? ORDER BY event_seq DESC LIMIT ?",
    );
    return this.joinedStatement;
  }

  private get titled() {
    this.titledStatement ??= this.db
      .prepare<[string, number, string], number>(
        "SELECT event_seq FROM alert_events WHERE org_id = ? AND alert_id = ? AND title = ? ORDER BY event_seq LIMIT 1",
      )
      .pluck();
    return this.titledStatement;
  }

  /**
   * The event whose finding gave an alert its title now (retitled, the one that made it more
   * severe or larger; not retitled, its first), if its links keep titles (0039): what it shows.
   */
  titledBy(alert: Pick<Alert, "orgId" | "id" | "title">): number | undefined {
    return this.titled.get(alert.orgId, alert.id, alert.title);
  }

  /**
   * The open or acknowledged alert of this group with events within `windowMs` of `time` (its
   * last at or after time − window, its first at or before time + window), if any.
   */
  findGroup(orgId: string, groupKey: string, time: number, windowMs: number): Alert | undefined {
    const row = this.groupable.get(orgId, groupKey, time - windowMs, time + windowMs);
    return row ? rowToAlert(row) : undefined;
  }

  /**
   * The open or acknowledged alert of `ruleId` (as findGroup takes) linked to the call `seq` that
   * is about what a finding is: its person (a key of quietKey), or, told to the organization, its
   * subject (none for none). Another person's own alert is never it.
   */
  holding(orgId: string, ruleId: string, seq: number, about: HoldingAbout): Alert | undefined {
    const person: ReturnType<typeof keyedBy> =
      about.userKey === undefined ? [null, null] : keyedBy(about.userKey);
    const row = this.holdingCall.get(orgId, seq, ruleId, ...person, about.subject ?? null);
    return row ? rowToAlert(row) : undefined;
  }

  /** Stores a new alert, about its first event and whatever else `about` names. */
  insert(alert: NewAlert, about: AlertAbout = {}): number {
    const id = Number(
      this.insertAlert.run({
        ...alert,
        detail: JSON.stringify(alert.detail),
        tools: JSON.stringify(alert.tools),
        late: alert.late ? 1 : 0,
        notify: alert.notify ? 1 : 0,
        subject: alert.subject ?? null,
        aboutOrganization: alert.aboutOrganization ? 1 : 0,
      }).lastInsertRowid,
    );
    this.link.run(alert.orgId, id, alert.firstEventSeq, alert.title);
    linkAbout(this.db, alert.orgId, id, about);
    return id;
  }

  grow(alert: Pick<Alert, "id" | "orgId">, event: Growth, now: number): void {
    this.growAlert.run({
      id: alert.id,
      seq: event.seq,
      time: event.time,
      late: event.late ? 1 : 0,
      tools: JSON.stringify(event.tools),
      severity: event.severity,
      notify: event.notify ? 1 : 0,
      title: event.retitle?.title ?? null,
      detail: event.retitle ? JSON.stringify(event.retitle.detail) : null,
      now,
    });
    this.link.run(alert.orgId, alert.id, event.seq, event.title ?? null);
  }

  /** Links to an alert the calls its finding's title counts (a burst's minutes, a spike's hour). */
  linkCounted(orgId: string, alertId: number, counted: CountedCalls): void {
    this.countedLink ??= countedLinker(this.db);
    this.countedLink(orgId, alertId, counted);
  }

  /**
   * The latest `limit` events that joined an alert after `afterSeq`, oldest first, and how many
   * earlier ones there are (counted up to MAX_COUNTED: a pass never reads an old alert whole).
   */
  eventsAfter(
    orgId: string,
    alertId: number,
    afterSeq: number,
    limit: number,
  ): { links: JoinedLink[]; more: number; capped: boolean } {
    const rows = this.joined.all(orgId, alertId, afterSeq, limit);
    const links = [...rows].reverse();
    if (rows.length < limit) return { links, more: 0, capped: false };
    const n = this.joinedCount.get(orgId, alertId, afterSeq, MAX_COUNTED)?.n ?? 0;
    return { links, more: n - rows.length, capped: n >= MAX_COUNTED };
  }

  /** How many alerts each rule raised, by severity (for metrics). */
  tally(orgId: string): Array<{ ruleId: string; severity: string; count: number }> {
    return this.tallyQuery.all(orgId);
  }

  /** Raises an alert's severity (the message is updated by whoever calls this). */
  /**
   * Sets an alert's severity; when a person's answer decided it (`actor`, their Slack user id),
   * the change the export journals (a trigger, which knows no one) is theirs.
   */
  raiseSeverity(
    orgId: string,
    id: number,
    severity: Alert["severity"],
    now: number,
    actor?: string,
  ): void {
    const raised = this.db
      .prepare("UPDATE alerts SET severity = ?, updated_at = ? WHERE org_id = ? AND id = ?")
      .run(severity, now, orgId, id);
    if (raised.changes === 0 || actor === undefined) return;
    this.db
      .prepare(
        `UPDATE alert_changes SET actor = ? WHERE id = (SELECT max(id) FROM alert_changes
           WHERE org_id = ? AND alert_id = ? AND change = 'severity' AND at = ?)`,
      )
      .run(actor, orgId, id, now);
  }

  get(id: number): Alert | undefined {
    const row = this.byId.get(id);
    return row ? rowToAlert(row) : undefined;
  }

  list(orgId: string): Alert[] {
    return this.db
      .prepare<[string], AlertRow>("SELECT * FROM alerts WHERE org_id = ? ORDER BY id")
      .all(orgId)
      .map(rowToAlert);
  }

  counts(orgId: string): { stored: number; toPost: number } {
    const row = this.db
      .prepare<[string], { n: number; posted: number | null }>(
        "SELECT count(*) AS n, sum(notify) AS posted FROM alerts WHERE org_id = ?",
      )
      .get(orgId);
    return { stored: row?.n ?? 0, toPost: row?.posted ?? 0 };
  }

  lastEvaluated(orgId: string): number | undefined {
    return this.readState.get(orgId)?.last_seq;
  }

  setLastEvaluated(orgId: string, seq: number, now: number): void {
    this.writeState.run(orgId, seq, now);
  }

  /** Alerts about a person that these reasons kept out of Slack since `since`, oldest first. */
  hiddenBy(orgId: string, userKey: string, reasons: readonly string[], since: number): Alert[] {
    if (reasons.length === 0) return [];
    return this.db
      .prepare<unknown[], AlertRow>(
        `SELECT * FROM alerts WHERE org_id = ? AND ${samePerson("alerts")} AND notify = 0
           AND created_at >= ? AND suppressed_by IN (${reasons.map(() => "?").join(", ")})
         ORDER BY id`,
      )
      .all(orgId, ...keyedBy(userKey), since, ...reasons)
      .map(rowToAlert);
  }

  /**
   * How many alerts of this rule about this person are marked expected by a responder, by a
   * change made since `since` (an undone one no longer counts, nor the person's own "yes"): what
   * responders have taught about the pattern.
   */
  expectedSince(orgId: string, ruleId: string, userKey: string, since: number): number {
    const row = this.expectedQuery.get(orgId, ruleId, ...keyedBy(userKey), since);
    return row?.n ?? 0;
  }

  /**
   * When an alert of this rule about this person was last marked true positive (one reopened
   * since no longer counts): a confirmed compromise, after which earlier Expected teach nothing.
   */
  confirmedAt(orgId: string, ruleId: string, userKey: string): number | undefined {
    return this.confirmedQuery.get(orgId, ruleId, ...keyedBy(userKey)) ?? undefined;
  }
}

import { DAY, HOUR } from "../time-units.js";
import { BASELINE_HOURS_KEPT } from "./baselines.js";
import { BlockTrimmer } from "./block-trim.js";
import type { Db } from "./db.js";
import { lazyStatements } from "./lazy-statements.js";

/** A place in the time index: an event's time and seq. */
export interface EventPosition {
  readonly time: number;
  readonly seq: number;
}

/** Before every event. */
export const START: EventPosition = { time: Number.MIN_SAFE_INTEGER, seq: 0 };

/** Old events kept read at a time when looking for their blocks. */
const OLD_EVENTS_A_READ = 1000;

/**
 * Deletes what is older than the retention, one small batch per call, each its own short
 * transaction; then an event's raw JSON, from the block it shared with events kept. Kept
 * whatever their age: events an alert links to (its message, trail and deliveries show them),
 * events the rules have not evaluated yet, and MCP events the SIEM export has not delivered yet.
 */
export class RetentionStore {
  private readonly orgList;
  private readonly window;
  private readonly events;
  private readonly quarantined;
  private readonly unexported;
  private readonly queuedOld;
  private readonly people;
  private readonly scopes;
  private readonly hours;
  private readonly attestations;
  private readonly blocks;
  private readonly oldBlocks;
  private readonly unjudged;
  /** Blocks that lost events to the deletes, left to trim (`trimTouched`). */
  private readonly touched = new Set<number>();

  constructor(db: Db) {
    const later = lazyStatements(db);
    this.orgList = db.prepare<[], { org_id: string }>(
      "SELECT org_id FROM poll_state UNION SELECT org_id FROM detection_state ORDER BY org_id",
    );
    // A batch reads the next `limit` old events from where the last one stopped (time, seq), then
    // deletes those it may: the events kept (an alert's, not exported yet) pile up at the old end
    // of the time index, and a batch that looked for `limit` to delete from the oldest would read
    // them all again, each batch of each pass.
    this.window = db.prepare<
      { orgId: string; before: number; time: number; seq: number; limit: number },
      { seq: number; time: number }
    >(
      `SELECT seq, time FROM event_rows
       WHERE org = (SELECT ref FROM strings WHERE value = @orgId) AND time < @before
         AND (time > @time OR (time = @time AND seq > @seq))
       ORDER BY time, seq LIMIT @limit`,
    );
    // Whether an alert is about an event is one look-up in alert_events_seq (migrations/0016).
    // An event is kept until it both happened and was processed (or stored, if Atlassian's
    // processedAt is ahead) before the cut: a late one processed lately could be read again by
    // time (the poll's overlap) and stored anew.
    // With the export on, an event queued to be sent again is kept too (migrations/0043; prepared
    // at first use, as a store may be opened on a database before it: see lazyStatements).
    this.events = (p: { orgId: string; before: number; seqs: string; exported: number | null }) =>
      later(
        `DELETE FROM event_rows WHERE seq IN (SELECT value FROM json_each(@seqs))
         AND time + min(coalesce(processed_delta, 0), ingested_at - time) < @before
         AND seq <= (SELECT coalesce(max(last_seq), 0) FROM detection_state WHERE org_id = @orgId)
         AND (@exported IS NULL OR is_mcp = 0 OR seq <= @exported)
         AND NOT EXISTS (SELECT 1 FROM alert_events ae WHERE ae.event_seq = event_rows.seq)
         AND (@exported IS NULL OR NOT EXISTS (SELECT 1 FROM export_again q WHERE q.seq = event_rows.seq))
       RETURNING raw_block`,
      ).all(p) as Array<{ raw_block: number }>;
    this.blocks = new BlockTrimmer(db);
    this.oldBlocks = db.prepare<
      { orgId: string; before: number; time: number; seq: number },
      { raw_block: number; time: number; seq: number }
    >(
      `SELECT raw_block, time, seq FROM event_rows
       WHERE org = (SELECT ref FROM strings WHERE value = @orgId) AND time < @before
         AND (time > @time OR (time = @time AND seq > @seq))
       ORDER BY time, seq LIMIT ${OLD_EVENTS_A_READ}`,
    );

    // On the index of MCP rows by seq: a seek to where the rules stand.
    this.unjudged = db
      .prepare<{ orgId: string }, number>(
        `SELECT time + min(coalesce(processed_delta, 0), ingested_at - time)
         FROM event_rows INDEXED BY event_rows_mcp_seq
         WHERE org = (SELECT ref FROM strings WHERE value = @orgId) AND is_mcp = 1
           AND seq > (SELECT coalesce(max(last_seq), 0) FROM detection_state WHERE org_id = @orgId)
           AND backfilled = 0
         ORDER BY seq LIMIT 1`,
      )
      .pluck();
    this.unexported = db
      .prepare<{ orgId: string; before: number; exported: number }, number>(
        `SELECT count(*) FROM event_rows WHERE org = (SELECT ref FROM strings WHERE value = @orgId)
           AND is_mcp = 1 AND seq > @exported AND time < @before
           AND time + min(coalesce(processed_delta, 0), ingested_at - time) < @before`,
      )
      .pluck();
    this.queuedOld = (p: { orgId: string; before: number; exported: number }) =>
      later(
        `SELECT count(*) FROM export_again q JOIN event_rows e ON e.seq = q.seq
         WHERE q.org_id = @orgId AND q.seq <= @exported AND e.time < @before
           AND e.time + min(coalesce(e.processed_delta, 0), e.ingested_at - e.time) < @before`,
      )
        .pluck()
        .get(p) as number;
    this.quarantined = db.prepare<{ orgId: string; before: number; limit: number }>(
      `DELETE FROM quarantined_events WHERE seq IN (
         SELECT seq FROM quarantined_events WHERE org_id = @orgId AND received_at < @before
         ORDER BY received_at LIMIT @limit)`,
    );

    const org = "org = (SELECT ref FROM strings WHERE value = @orgId)";
    this.scopes = db.prepare<{ orgId: string; before: number }>(
      `DELETE FROM person_scopes WHERE ${org} AND last_time < @before`,
    );
    this.hours = db.prepare<{ orgId: string; before: number }>(
      `DELETE FROM person_hours WHERE ${org} AND hour < @before`,
    );
    // A weekly check whose "not me" raised an alert stays with it; the others go with their
    // week, but one not answered yet keeps its buttons working 30 days (a retention of days).
    this.attestations = db.prepare<{ orgId: string; before: number; unanswered: number }>(
      `DELETE FROM attestations WHERE org_id = @orgId AND week_end < @before AND alert_id IS NULL
         AND (answer IS NOT NULL OR week_end < @unanswered)`,
    );
    // The name and e-mail an alert shows stay findable by `user:` (the alert's own lookup:
    // alerts_user). Accounts with calls left lose their former names to FormerNames.
    this.people = db.prepare<[string]>(
      `DELETE FROM people WHERE org_id = ? AND NOT EXISTS (
         SELECT 1 FROM events
         WHERE events.org_id = people.org_id AND is_mcp = 1 AND events.user_id = people.user_id)
       AND NOT EXISTS (
         SELECT 1 FROM alerts WHERE alerts.org_id = people.org_id AND alerts.user_id = people.user_id
           AND coalesce(alerts.user_email, '') = people.user_email
           AND coalesce(alerts.user_name, '') = people.user_name)`,
    );
  }

  /**
   * The blocks holding events of `orgId` older than `before` that are kept (an alert's), read
   * 1,000 events at a time from the event after `from` (time, seq); the position to go on from,
   * or null at the end. Blocks that lost events before they were trimmed as events go (an
   * earlier release) are trimmed with `trim`.
   */
  oldKeptBlocks(
    orgId: string,
    before: number,
    from: { time: number; seq: number },
    into: Set<number>,
  ): { time: number; seq: number } | null {
    const rows = this.oldBlocks.all({ orgId, before, ...from });
    for (const row of rows) into.add(row.raw_block);
    const last = rows.at(-1);
    return rows.length < OLD_EVENTS_A_READ || !last ? null : { time: last.time, seq: last.seq };
  }

  /** Trims the block `id`: see BlockTrimmer. */
  trim(id: number): void {
    this.blocks.trim(id);
  }

  /** Every organization the database has polled. */
  orgs(): string[] {
    return this.orgList.all().map((row) => row.org_id);
  }

  /**
   * Reads the next `limit` events of `orgId` that happened before `before` (epoch ms) after
   * `from` (time, seq) and deletes those not kept; with `exported` (the SIEM export's position),
   * never an MCP event it has not delivered yet. How many it read and deleted, and the position to
   * go on from (null: none left).
   */
  pruneBatch(
    orgId: string,
    before: number,
    limit: number,
    from: EventPosition,
    exported?: number,
  ): { read: number; deleted: number; next: EventPosition | null } {
    const read = this.window.all({ orgId, before, limit, ...from });
    const rows = this.events({
      orgId,
      before,
      seqs: JSON.stringify(read.map((row) => row.seq)),
      exported: exported ?? null,
    });
    for (const row of rows) this.touched.add(row.raw_block);
    const last = read.at(-1);
    const next = read.length < limit || !last ? null : { time: last.time, seq: last.seq };
    return { read: read.length, deleted: rows.length, next };
  }

  /**
   * Deletes at most `limit` events of `orgId` that happened before `before`, the oldest first,
   * in one go (tools and tests; the daily pass goes batch by batch: pruneBatch). How many.
   */
  pruneEvents(orgId: string, before: number, limit: number, exported?: number): number {
    let deleted = 0;
    let from: EventPosition | null = START;
    while (from !== null && deleted < limit) {
      const batch = this.pruneBatch(orgId, before, limit - deleted, from, exported);
      deleted += batch.deleted;
      from = batch.next;
    }
    return deleted;
  }

  /**
   * Trims at most `limit` of the blocks that lost events to the deletes (most went whole with
   * their last event); how many are left. Done after the deletes, a block is trimmed once: a
   * block cut by one batch of deletes goes whole with the next.
   */
  trimTouched(limit: number): number {
    let done = 0;
    for (const id of this.touched) {
      if (done++ >= limit) break;
      this.touched.delete(id);
      this.blocks.trim(id);
    }
    return this.touched.size;
  }

  /**
   * When the oldest MCP call of `orgId` the rules have not judged yet was processed by Atlassian
   * (or stored, if its processing time is ahead); undefined when they have judged every one.
   */
  unjudgedFrom(orgId: string): number | undefined {
    return this.unjudged.get({ orgId });
  }

  /**
   * MCP events of `orgId` older than `before` that the SIEM export has not delivered yet: after
   * its position, or queued to be sent again.
   */
  unexportedBefore(orgId: string, before: number, exported: number): number {
    const p = { orgId, before, exported };
    return (this.unexported.get(p) ?? 0) + this.queuedOld(p);
  }

  /**
   * Forgets the people of `orgId` none of whose MCP events is left, but the name and e-mail an
   * alert about them shows.
   */
  prunePeople(orgId: string): number {
    return this.people.run(orgId).changes;
  }

  /**
   * Forgets the scopes of people last touched before the retention (`before`, epoch ms), and the
   * hourly counts older than the baseline keeps, as of `now`.
   */
  pruneBaselines(orgId: string, before: number, now: number): number {
    const hour = Math.floor(now / HOUR) - BASELINE_HOURS_KEPT;
    return (
      this.scopes.run({ orgId, before }).changes + this.hours.run({ orgId, before: hour }).changes
    );
  }

  /**
   * Forgets the weekly checks of weeks that ended before `before`, but those that raised an alert
   * and, for 30 days after their week as of `now`, those not answered yet.
   */
  pruneAttestations(orgId: string, before: number, now: number): number {
    return this.attestations.run({ orgId, before, unanswered: now - 30 * DAY }).changes;
  }

  /** Deletes at most `limit` quarantined items of `orgId` received before `before` (epoch ms). */
  pruneQuarantined(orgId: string, before: number, limit: number): number {
    return this.quarantined.run({ orgId, before, limit }).changes;
  }
}

import type { Db } from "./db.js";
import { lazyStatements } from "./lazy-statements.js";

/** Where the poller stands for one organization. */
export interface PollState {
  readonly orgId: string;
  readonly cursor: string | null;
  readonly lastProcessedAt: number | null;
  readonly backfillFrom: number | null;
  readonly backfillUntil: number | null;
  readonly backfillDone: boolean;
}

/**
 * A place of the stream whose page keeps answering JSON that does not parse, and cannot be read
 * item by item (see StuckPage).
 */
export interface StuckPlace {
  /** The cursor, or the time read from, whose page keeps answering what does not parse. */
  key: string;
  /** It in words, for the log and health. */
  where: string;
  since: number;
  /** Polls that ended failing there (or at the places it moved on to while smaller pages were asked). */
  polls: number;
  /** The smallest page asked there: the next poll starts with it. */
  limit: number;
}

interface StuckRow {
  stuck_key: string | null;
  stuck_place: string | null;
  stuck_since: number | null;
  stuck_polls: number | null;
  stuck_limit: number | null;
}

function rowToStuck(row: StuckRow): StuckPlace | undefined {
  const { stuck_key, stuck_place, stuck_since, stuck_polls, stuck_limit } = row;
  if (stuck_key === null || stuck_place === null || stuck_since === null) return undefined;
  return {
    key: stuck_key,
    where: stuck_place,
    since: stuck_since,
    polls: stuck_polls ?? 0,
    limit: stuck_limit ?? 1,
  };
}

interface PollStateRow {
  org_id: string;
  cursor: string | null;
  last_processed_at: number | null;
  backfill_from: number | null;
  backfill_until: number | null;
  backfill_done: number;
}

function rowToState(row: PollStateRow): PollState {
  return {
    orgId: row.org_id,
    cursor: row.cursor,
    lastProcessedAt: row.last_processed_at,
    backfillFrom: row.backfill_from,
    backfillUntil: row.backfill_until,
    backfillDone: row.backfill_done === 1,
  };
}

export class PollStateStore {
  private readonly read;
  private readonly doneAt;
  private readonly write;
  private readonly readStuck;
  private readonly writeStuck;
  /** migrations/0056's column: prepared at first use (a store opened before it is migrated). */
  private readonly later;

  constructor(db: Db) {
    this.later = lazyStatements(db);
    this.read = db.prepare<[string], PollStateRow>("SELECT * FROM poll_state WHERE org_id = ?");
    this.doneAt = db
      .prepare<[string], number | null>("SELECT backfill_done_at FROM poll_state WHERE org_id = ?")
      .pluck();
    // The first save of a state done records when: no writer needs to carry it along.
    this.write = db.prepare(
      `INSERT INTO poll_state (org_id, cursor, last_processed_at, backfill_from, backfill_until, backfill_done, backfill_done_at, updated_at)
       VALUES (@orgId, @cursor, @lastProcessedAt, @backfillFrom, @backfillUntil, @backfillDone,
         CASE WHEN @backfillDone = 1 THEN @updatedAt END, @updatedAt)
       ON CONFLICT (org_id) DO UPDATE SET cursor = excluded.cursor, last_processed_at = excluded.last_processed_at,
         backfill_from = excluded.backfill_from, backfill_until = excluded.backfill_until,
         backfill_done = excluded.backfill_done,
         backfill_done_at = CASE WHEN excluded.backfill_done = 1
           THEN COALESCE(poll_state.backfill_done_at, excluded.updated_at) END,
         updated_at = excluded.updated_at`,
    );
    this.readStuck = db.prepare<[string], StuckRow>(
      "SELECT stuck_key, stuck_place, stuck_since, stuck_polls, stuck_limit FROM poll_state WHERE org_id = ?",
    );
    this.writeStuck = db.prepare(
      `UPDATE poll_state SET stuck_key = @key, stuck_place = @where, stuck_since = @since,
         stuck_polls = @polls, stuck_limit = @limit, updated_at = @updatedAt WHERE org_id = @orgId`,
    );
  }

  /** Where the organization's stream is stuck, as the last poll failing there left it. */
  stuck(orgId: string): StuckPlace | undefined {
    const row = this.readStuck.get(orgId);
    return row && rowToStuck(row);
  }

  /** Keeps where the stream is stuck (null: it is not), with the organization's poll state. */
  saveStuck(orgId: string, place: StuckPlace | null, updatedAt: number): void {
    this.writeStuck.run({
      orgId,
      key: place?.key ?? null,
      where: place?.where ?? null,
      since: place?.since ?? null,
      polls: place?.polls ?? null,
      limit: place?.limit ?? null,
      updatedAt,
    });
  }

  /**
   * When the last poll that read the organization's audit log to its end began, by this process or
   * one before it; null when none did since migrations/0056.
   */
  readThroughAt(orgId: string): number | null {
    const at = this.later("SELECT read_through_at FROM poll_state WHERE org_id = ?")
      .pluck()
      .get(orgId) as number | null | undefined;
    return at ?? null;
  }

  /** Keeps that a poll begun at `at` read the organization's audit log to its end. */
  saveReadThrough(orgId: string, at: number): void {
    this.later("UPDATE poll_state SET read_through_at = ? WHERE org_id = ?").run(at, orgId);
  }

  get(orgId: string): PollState | undefined {
    const row = this.read.get(orgId);
    return row ? rowToState(row) : undefined;
  }

  /** Whether the organization's first poll is still reading its history (or has not begun). */
  backfilling(orgId: string): boolean {
    return this.get(orgId)?.backfillDone !== true;
  }

  /** Whether a first poll began and is still reading the history (false when none began). */
  midBackfill(orgId: string): boolean {
    return this.get(orgId)?.backfillDone === false;
  }

  /**
   * When the first poll read the history to its end (null until then): a digest due before it
   * was not posted, even by a process started since.
   */
  backfillDoneAt(orgId: string): number | null {
    return this.doneAt.get(orgId) ?? null;
  }

  save(state: PollState, updatedAt: number): void {
    this.write.run({ ...state, backfillDone: state.backfillDone ? 1 : 0, updatedAt });
  }
}

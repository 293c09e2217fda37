import type { Db } from "./db.js";

/** Where the poller stands for one organization. */
export interface PollState {
  readonly orgId: string;
  readonly cursor: string | null;
  readonly lastProcessedAt: number | null;
  readonly backfillFrom: number | null;
  readonly backfillUntil: number | null;
  readonly backfillDone: boolean;
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

  constructor(db: Db) {
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

import type { OutboxHealth, OutboxItem, OutboxState } from "../domain/outbox.js";
import type { Db } from "./db.js";
import { filesTo } from "./outbox-destination.js";
import { OutboxHealthQueries } from "./outbox-health.js";
import { FURTHEST_MS, type OutboxRow, toItem, WITH_PARENT } from "./outbox-row.js";

/** The outbox table's reads: what it holds and how that stands (OutboxStore adds the writes). */
export class OutboxReads {
  private readonly byRefQuery;
  private readonly newerQuery;
  private readonly one;
  private readonly healthQueries;
  private readonly waitingQuery;
  private readonly waitingToQuery;
  private readonly dueQuery;

  constructor(protected readonly db: Db) {
    this.byRefQuery = db.prepare<[string, string], OutboxRow>(
      `${WITH_PARENT} WHERE o.ref = ? AND o.kind = ? ORDER BY o.id DESC LIMIT 1`,
    );
    this.newerQuery = db.prepare<[string, string, number], { n: number }>(
      `SELECT 1 AS n FROM outbox WHERE ref = ? AND kind = ? AND id > ?
         AND state IN ('pending', 'claimed', 'delivered') LIMIT 1`,
    );
    this.one = db.prepare<[number], OutboxRow>(`${WITH_PARENT} WHERE o.id = ?`);
    this.healthQueries = new OutboxHealthQueries(db);
    this.waitingQuery = db.prepare<[string, string], { n: number }>(
      "SELECT count(*) AS n FROM outbox WHERE state IN ('pending', 'claimed') AND kind = ? AND org_id = ?",
    );
    // Posts to the conversation, files shared in it included (not its updates). A reply: to a
    // message posted (target_ts) or waiting for its parent to be (parent_id).
    this.waitingToQuery = db.prepare<
      { conversation: string; files: string; reply: number },
      { n: number }
    >(
      `SELECT 1 AS n FROM outbox WHERE state IN ('pending', 'claimed')
         AND destination IN (@conversation, @files)
         AND (target_ts IS NOT NULL OR parent_id IS NOT NULL) = @reply LIMIT 1`,
    );
    this.dueQuery = db.prepare<[number], { at: number | null }>(
      "SELECT min(next_attempt_at) AS at FROM outbox WHERE state = 'pending' AND next_attempt_at > ?",
    );
  }

  /** Every item about `ref`, with how it stands: what a command waits on. */
  statesOf(ref: string): Array<{ kind: string; state: OutboxState; failure: string | null }> {
    return this.db
      .prepare<[string], { kind: string; state: OutboxState; failure: string | null }>(
        "SELECT kind, state, failure FROM outbox WHERE ref = ? ORDER BY id",
      )
      .all(ref);
  }

  /** Whether an item of `item`'s kind and ref was queued after it, and waits or was sent. */
  hasNewer(item: Pick<OutboxItem, "id" | "ref" | "kind">): boolean {
    return item.ref !== null && this.newerQuery.get(item.ref, item.kind, item.id) !== undefined;
  }

  /** The newest item of a kind about `ref`. */
  byRef(
    ref: string,
    kind: string,
  ): (OutboxItem & { state: OutboxState; deliveredAt: number | null }) | undefined {
    const row = this.byRefQuery.get(ref, kind);
    return row
      ? { ...toItem(row), state: row.state as OutboxState, deliveredAt: row.delivered_at }
      : undefined;
  }

  /** An item by its id, with how it stands. */
  get(id: number): (OutboxItem & { state: OutboxState }) | undefined {
    const row = this.one.get(id);
    return row ? { ...toItem(row), state: row.state as OutboxState } : undefined;
  }

  /** When the next item waiting for a later attempt (a backoff, a pause) falls due. */
  nextAttemptAfter(now: number): number | undefined {
    const at = this.dueQuery.get(now)?.at ?? undefined;
    // Never further than the longest wait: one set further is due now (see FURTHEST_MS).
    return at === undefined ? undefined : Math.min(at, now + FURTHEST_MS);
  }

  /** How many items of a kind wait (pending or being sent) for an organization. */
  waiting(kind: string, orgId: string): number {
    return this.waitingQuery.get(kind, orgId)?.n ?? 0;
  }

  /** Whether a post waits for the conversation (a channel), of the kind asked: a reply or not. */
  waitingTo(conversation: string, reply: boolean): boolean {
    return (
      this.waitingToQuery.get({
        conversation,
        files: filesTo(conversation),
        reply: reply ? 1 : 0,
      }) !== undefined
    );
  }

  /** Depth by kind, the oldest waiting item and the last failure: for /healthz and /metrics. */
  health(): OutboxHealth {
    return this.healthQueries.read();
  }

  /** How many of an organization's items wait (pending or being sent), of every kind. */
  waitingFor(orgId: string): number {
    return this.healthQueries.waiting(orgId);
  }
}

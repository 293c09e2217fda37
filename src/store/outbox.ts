import type {
  Claim,
  ClaimOptions,
  NewOutboxItem,
  OutboxHealth,
  OutboxItem,
  OutboxPayload,
  OutboxState,
} from "../domain/outbox.js";
import type { Db } from "./db.js";
import { OutboxClaims } from "./outbox-claims.js";
import { destinationOf, filesTo } from "./outbox-destination.js";
import { OutboxHealthQueries } from "./outbox-health.js";
import { FURTHEST_MS, type OutboxRow, toItem, WITH_PARENT } from "./outbox-row.js";

/**
 * The nonce list of an item tried before the outbox existed: its message, if Slack took it,
 * carries no nonce and is recognised by its metadata alone (still only among the app's own).
 */
export const BEFORE_THE_OUTBOX = "before-the-outbox";

/** The outbox table: queued Slack messages, their claims, and how each one ended. */
export class OutboxStore {
  private readonly insert;
  private readonly byKey;
  private readonly byRefQuery;
  private readonly newerQuery;
  private readonly one;
  private readonly replace;
  private readonly openChannel;
  private readonly done;
  private readonly again;
  private readonly end;
  private readonly dueQuery;
  private readonly waitingQuery;
  private readonly waitingToQuery;
  private readonly healthQueries;
  private readonly claims;

  constructor(private readonly db: Db) {
    this.insert = db.prepare(
      `INSERT INTO outbox (key, org_id, kind, ref, method, destination, channel, user_id, parent_id,
         target_ts, payload, file, data, priority, uncertain, nonces, first_claimed_at,
         next_attempt_at, deadline, created_at)
       VALUES (@key, @orgId, @kind, @ref, @method, @destination, @channel, @userId, @parentId,
         @targetTs, @payload, @file, @data, @priority, @uncertain, @nonces, @attemptedAt, @due,
         @deadline, @now)
       ON CONFLICT (key) DO NOTHING`,
    );
    this.byKey = db.prepare<[string], { id: number }>("SELECT id FROM outbox WHERE key = ?");
    this.byRefQuery = db.prepare<[string, string], OutboxRow>(
      `${WITH_PARENT} WHERE o.ref = ? AND o.kind = ? ORDER BY o.id DESC LIMIT 1`,
    );
    this.newerQuery = db.prepare<[string, string, number], { n: number }>(
      `SELECT 1 AS n FROM outbox WHERE ref = ? AND kind = ? AND id > ?
         AND state IN ('pending', 'claimed', 'delivered') LIMIT 1`,
    );
    this.one = db.prepare<[number], OutboxRow>(`${WITH_PARENT} WHERE o.id = ?`);
    this.replace = db.prepare(
      "UPDATE outbox SET payload = ?, data = coalesce(?, data) WHERE key = ? AND state = 'pending' AND attempts = 0 AND uncertain = 0",
    );
    this.openChannel = db.prepare("UPDATE outbox SET channel = ? WHERE id = ?");
    const mine = "id = @id AND ((state = 'claimed' AND owner = @owner) OR state = 'pending')";
    this.done = db.prepare(
      `UPDATE outbox SET state = 'delivered', delivered_channel = @channel, delivered_ts = @ts,
         delivered_at = @now, settled_at = @now, owner = NULL, lease_until = NULL, uncertain = 0,
         file = NULL, last_error = NULL
       WHERE ${mine}`,
    );
    this.again = db.prepare(
      `UPDATE outbox SET state = 'pending', owner = NULL, lease_until = NULL,
         next_attempt_at = @next, uncertain = @uncertain, last_error = @error,
         attempts = attempts - @free
       WHERE ${mine}`,
    );
    this.end = db.prepare(
      `UPDATE outbox SET state = @state, failure = @reason, settled_at = @now, owner = NULL,
         lease_until = NULL, file = NULL
       WHERE ${mine}`,
    );
    this.healthQueries = new OutboxHealthQueries(db);
    this.claims = new OutboxClaims(db);
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

  /** Runs `fn` in one transaction (a delivery and what its producer records with it). */
  atomically<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** Queues an item unless its key is queued already; its id either way. */
  enqueue(item: NewOutboxItem, now: number): number {
    const to = item.to;
    const channel = "channel" in to ? to.channel : null;
    const user = "user" in to ? to.user : null;
    this.insert.run({
      key: item.key,
      orgId: item.orgId ?? null,
      kind: item.kind,
      ref: item.ref ?? null,
      method: item.method,
      destination: destinationOf(to, item.method),
      channel,
      userId: user,
      parentId: "channel" in to ? (to.parentId ?? null) : null,
      targetTs: "channel" in to ? (to.ts ?? null) : null,
      payload: JSON.stringify(item.payload),
      file: item.file ?? null,
      data: item.data === undefined ? null : JSON.stringify(item.data),
      priority: item.priority,
      uncertain: item.attemptedAt === undefined ? 0 : 1,
      nonces: JSON.stringify(item.attemptedAt === undefined ? [] : [BEFORE_THE_OUTBOX]),
      attemptedAt: item.attemptedAt ?? null,
      deadline: item.deadline ?? null,
      due: Math.max(now, item.notBefore ?? now),
      now,
    });
    const row = this.byKey.get(item.key);
    if (!row) throw new Error(`outbox item ${item.key} was not stored`);
    return row.id;
  }

  /**
   * Drops what waits, never tried, of this kind for this person: a newer item replaces it (only the
   * latest App Home view matters). An item being sent is left to finish; the newer one follows it.
   */
  supersede(kind: string, userId: string, reason: string, now: number): number {
    return this.db
      .prepare(
        `UPDATE outbox SET state = 'dropped', failure = ?, settled_at = ?
         WHERE state = 'pending' AND kind = ? AND user_id = ? AND attempts = 0`,
      )
      .run(reason, now, kind, userId).changes;
  }

  /** Drops what waits about `ref`, being sent or not (a digest not wanted any more); how many. */
  dropWaiting(ref: string, reason: string, now: number): number {
    return this.db
      .prepare(
        `UPDATE outbox SET state = 'dropped', failure = ?, settled_at = ?
         WHERE ref = ? AND state IN ('pending', 'claimed')`,
      )
      .run(reason, now, ref).changes;
  }

  /**
   * Fails what waits about `ref` and is not being sent (a command that queued it gave up on a
   * setup problem of its own, which the bot would meet again); how many.
   */
  failWaiting(ref: string, reason: string, now: number): number {
    return this.db
      .prepare(
        `UPDATE outbox SET state = 'failed', failure = ?, settled_at = ?, file = NULL
         WHERE ref = ? AND state = 'pending'`,
      )
      .run(reason, now, ref).changes;
  }

  /** Whether an item with this key is queued (in any state). */
  has(key: string): boolean {
    return this.byKey.get(key) !== undefined;
  }

  /** Every item about `ref`, with how it stands: what a command waits on. */
  statesOf(ref: string): Array<{ kind: string; state: OutboxState; failure: string | null }> {
    return this.db
      .prepare<[string], { kind: string; state: OutboxState; failure: string | null }>(
        "SELECT kind, state, failure FROM outbox WHERE ref = ? ORDER BY id",
      )
      .all(ref);
  }

  /** Replaces what a queued item will send, if it was never tried; false when it was. */
  replacePending(key: string, payload: OutboxPayload, data?: Record<string, unknown>): boolean {
    const json = data === undefined ? null : JSON.stringify(data);
    return this.replace.run(JSON.stringify(payload), json, key).changes === 1;
  }

  /** Whether an item of the same kind about the same ref was queued after `item`, and waits or was sent. */
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

  get(id: number): (OutboxItem & { state: OutboxState }) | undefined {
    const row = this.one.get(id);
    return row ? { ...toItem(row), state: row.state as OutboxState } : undefined;
  }

  /** Claims the next item due (see OutboxClaims.next). */
  claimNext(o: ClaimOptions): Claim {
    return this.claims.next(o);
  }

  /** Holds a destination back until `until` (an outage backs off the whole channel). */
  hold(destination: string, until: number): void {
    this.claims.hold(destination, until);
  }

  /** When the next item waiting for a later attempt (a backoff, a pause) falls due. */
  nextAttemptAfter(now: number): number | undefined {
    const at = this.dueQuery.get(now)?.at ?? undefined;
    // Never further than the longest wait: one set further is due now (see FURTHEST_MS).
    return at === undefined ? undefined : Math.min(at, now + FURTHEST_MS);
  }

  /** A direct message's channel, once opened: its look-ups and updates go there. */
  setChannel(id: number, channel: string): void {
    this.openChannel.run(channel, id);
  }

  /** Slack took it; false when another process had claimed it meanwhile. */
  delivered(id: number, owner: string, at: { channel: string; ts: string }, now: number): boolean {
    return this.done.run({ id, owner, channel: at.channel, ts: at.ts, now }).changes === 1;
  }

  /**
   * Back to pending until `next`. `uncertain`: its message may be in Slack (an attempt may have
   * reached it and no look-up since found it missing), to be looked up before it is sent again.
   * `free`: the attempt is not counted (a pause held it back before anything was sent).
   */
  retry(
    id: number,
    owner: string,
    next: number,
    o: { uncertain: boolean; error: string; free?: boolean },
  ): void {
    this.again.run({
      id,
      owner,
      next,
      uncertain: o.uncertain ? 1 : 0,
      error: o.error,
      free: o.free ? 1 : 0,
    });
  }

  /** Never to be sent: `failed` (Slack refused it, or it gave up) or `dropped` (not wanted any more). */
  settle(
    id: number,
    owner: string,
    state: "failed" | "dropped",
    reason: string,
    now: number,
  ): boolean {
    return this.end.run({ id, owner, state, reason, now }).changes === 1;
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

  /** Forgets settled items older than `before` that no waiting item replies to. */
  prune(before: number): number {
    return this.db
      .prepare(
        `DELETE FROM outbox WHERE state IN ('delivered', 'failed', 'dropped') AND settled_at < ?
         AND NOT EXISTS (SELECT 1 FROM outbox c WHERE c.parent_id = outbox.id AND c.state IN ('pending', 'claimed'))`,
      )
      .run(before).changes;
  }
}

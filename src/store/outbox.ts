import type { Claim, ClaimOptions, NewOutboxItem, OutboxPayload } from "../domain/outbox.js";
import type { Db } from "./db.js";
import { OutboxClaims } from "./outbox-claims.js";
import { destinationOf } from "./outbox-destination.js";
import { OutboxReads } from "./outbox-reads.js";

/**
 * The nonce list of an item tried before the outbox existed: its message, if Slack took it,
 * carries no nonce and is recognised by its metadata alone (still only among the app's own).
 */
export const BEFORE_THE_OUTBOX = "before-the-outbox";

/** The outbox table: queued Slack messages, their claims, and how each one ended. */
export class OutboxStore extends OutboxReads {
  private readonly insert;
  private readonly byKey;
  private readonly replace;
  private readonly openChannel;
  private readonly done;
  private readonly again;
  private readonly end;
  private readonly instead;
  private readonly claims;
  private readonly pruneSettled;

  constructor(db: Db) {
    super(db);
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
    this.replace = db.prepare(
      `UPDATE outbox SET payload = ?, data = coalesce(?, data), next_attempt_at = min(next_attempt_at, coalesce(?, next_attempt_at))
       WHERE key = ? AND state = 'pending' AND attempts = 0 AND uncertain = 0`,
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
    this.instead = db.prepare(
      `UPDATE outbox SET payload = @payload, data = @data, state = 'pending', owner = NULL,
         lease_until = NULL, next_attempt_at = @now, uncertain = 0, last_error = @error
       WHERE ${mine}`,
    );
    this.claims = new OutboxClaims(db);
    this.pruneSettled = db.prepare<[number, number]>(
      `DELETE FROM outbox WHERE id IN (
         SELECT id FROM outbox WHERE state IN ('delivered', 'failed', 'dropped') AND settled_at < ?
           AND NOT EXISTS (SELECT 1 FROM outbox c WHERE c.parent_id = outbox.id AND c.state IN ('pending', 'claimed'))
         LIMIT ?)`,
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
   * Drops what waits of this kind for this person, tried already or not: a newer item replaces it
   * (only the latest App Home view matters). An item being sent is left to finish; the newer one
   * follows it.
   */
  supersede(kind: string, userId: string, reason: string, now: number): number {
    return this.db
      .prepare(
        `UPDATE outbox SET state = 'dropped', failure = ?, settled_at = ?
         WHERE state = 'pending' AND kind = ? AND user_id = ?`,
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
   * Withdraws what waits about `ref` while none of it may have reached Slack (nothing of it being
   * sent, sent, or tried with no answer), and runs `settle`, what its producer records with that,
   * in the same transaction, the write lock taken first. False once its sending has begun: it
   * stays queued, and the poster finds out whether Slack has it and finishes it, once.
   */
  withdrawUnsent(ref: string, reason: string, now: number, settle: () => void): boolean {
    return this.db
      .transaction(() => {
        const begun = this.db
          .prepare<[string], 1>(
            `SELECT 1 FROM outbox WHERE ref = ?
               AND (state IN ('claimed', 'delivered') OR (state = 'pending' AND uncertain = 1))`,
          )
          .pluck()
          .get(ref);
        if (begun !== undefined) return false;
        this.db
          .prepare(
            `UPDATE outbox SET state = 'dropped', failure = ?, settled_at = ?, file = NULL
             WHERE ref = ? AND state = 'pending'`,
          )
          .run(reason, now, ref);
        settle();
        return true;
      })
      .immediate();
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

  /**
   * Replaces what a queued item will send, if it was never tried; false when it was. `dueBy`: it
   * goes then at the latest (a reply that must not wait any more).
   */
  replacePending(
    key: string,
    payload: OutboxPayload,
    data?: Record<string, unknown>,
    dueBy?: number,
  ): boolean {
    const json = data === undefined ? null : JSON.stringify(data);
    return this.replace.run(JSON.stringify(payload), json, dueBy ?? null, key).changes === 1;
  }

  /** Claims the next item due (see OutboxClaims.next). */
  claimNext(o: ClaimOptions): Claim {
    return this.claims.next(o);
  }

  /** Holds a destination back until `until` (an outage backs off the whole channel). */
  hold(destination: string, until: number): void {
    this.claims.hold(destination, until);
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

  /**
   * Slack refused what the item sent, so nothing of it is there: it sends `payload` in its place,
   * at once, with `data`. False when another process had claimed it meanwhile.
   */
  sendInstead(
    id: number,
    owner: string,
    o: { payload: OutboxPayload; data: Record<string, unknown>; error: string; now: number },
  ): boolean {
    const { payload, data, error, now } = o;
    const json = { payload: JSON.stringify(payload), data: JSON.stringify(data) };
    return this.instead.run({ id, owner, ...json, error, now }).changes === 1;
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

  /**
   * Forgets at most `limit` settled items older than `before` that no waiting item replies to;
   * how many. Called again until it returns less than `limit`, each call its own short delete.
   */
  prune(before: number, limit: number): number {
    return this.pruneSettled.run(before, limit).changes;
  }
}

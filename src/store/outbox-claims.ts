import type { Claim, ClaimOptions, OutboxMethod } from "../domain/outbox.js";
import type { Db } from "./db.js";
import { FURTHEST_MS, type OutboxRow, toItem } from "./outbox-row.js";

/** Every method an item calls, to learn which ones a pause holds back (see `held`). */
const METHODS = Object.keys({
  "chat.postMessage": true,
  "chat.update": true,
  "files.upload": true,
  "views.publish": true,
} satisfies Record<OutboxMethod, true>) as OutboxMethod[];

/** What a claim's statements are given: the time, the kinds it takes, the methods held back. */
interface Query {
  now: number;
  furthest: number;
  kinds: string;
  held: string;
  heldDirect: string;
}

/** An item held back by its destination's pace alone, and when that pace lets it go. */
interface Paced {
  id: number;
  key: string;
  ref: string | null;
  next_at: number;
}

/**
 * Who sends what next: the outbox's claims, each item leased to one sender at a time, and the
 * pace of each destination (slack_pace), kept in the same immediate transaction as the claim.
 */
export class OutboxClaims {
  private readonly candidates;
  private readonly paced;
  private readonly expire;
  private readonly owners;
  private readonly release;
  private readonly paceOf;
  private readonly setPace;
  private readonly claimRow;

  constructor(private readonly db: Db) {
    // What holds an item back is decided here, not after reading it: items that wait (a paused
    // method's, a paced destination's) are passed over in the index of waiting items
    // (outbox_pending), most of them without reading their rows, and hold back none ranked after
    // them. An attempt or a pace set further ahead than any wait this app sets was set before
    // the clock stepped back (NTP): it is due now, not hours later. A reply whose parent was lost
    // is given up at once: neither a pause nor a pace holds it.
    const from = `outbox o INDEXED BY outbox_pending LEFT JOIN outbox p ON p.id = o.parent_id
       LEFT JOIN slack_pace s ON s.destination = o.destination`;
    const unpaused = `((o.user_id IS NULL AND o.method NOT IN (SELECT value FROM json_each(@held)))
         OR (o.user_id IS NOT NULL AND o.method NOT IN (SELECT value FROM json_each(@heldDirect))))`;
    const lost = "coalesce(p.state, '') IN ('failed', 'dropped')";
    // `unpaused` is asked first of the index's columns alone: a direct message a pause holds is
    // passed over before its parent and its pace are looked up.
    const due = `o.state = 'pending' AND (o.next_attempt_at <= @now OR o.next_attempt_at > @furthest)
         AND o.kind IN (SELECT value FROM json_each(@kinds))
         AND (${unpaused} OR o.parent_id IS NOT NULL)
         AND (o.parent_id IS NULL OR p.state IN ('delivered', 'failed', 'dropped'))`;
    this.candidates = db.prepare<Query, OutboxRow>(
      `SELECT o.*, p.state AS p_state, p.delivered_channel AS p_channel, p.delivered_ts AS p_ts
       FROM ${from}
       WHERE ${due} AND (${lost} OR (${unpaused}
         AND (s.next_at IS NULL OR s.next_at <= @now OR s.next_at > @furthest)))
       ORDER BY o.priority, o.id`,
    );
    this.paced = db.prepare<Query, Paced>(
      `SELECT o.id, o.key, o.ref, s.next_at FROM ${from}
       WHERE ${due} AND NOT (${lost}) AND ${unpaused} AND s.next_at > @now AND s.next_at <= @furthest
       ORDER BY s.next_at`,
    );
    // The claim began at lease_until − leaseMs: its look-up waits for lookUpAfterMs after that.
    const takeBack = `UPDATE outbox SET state = 'pending', uncertain = 1, owner = NULL, lease_until = NULL,
         next_attempt_at = max(next_attempt_at, lease_until - @leaseMs + @lookUpAfterMs)`;
    this.expire = db.prepare(`${takeBack} WHERE state = 'claimed' AND lease_until <= @now`);
    this.owners = db.prepare<[], { owner: string }>(
      "SELECT DISTINCT owner FROM outbox WHERE state = 'claimed' AND owner IS NOT NULL",
    );
    this.release = db.prepare(`${takeBack} WHERE state = 'claimed' AND owner = @owner`);
    this.paceOf = db.prepare<[string], { next_at: number }>(
      "SELECT next_at FROM slack_pace WHERE destination = ?",
    );
    this.setPace = db.prepare(
      `INSERT INTO slack_pace (destination, next_at) VALUES (?, ?)
       ON CONFLICT (destination) DO UPDATE SET next_at = excluded.next_at`,
    );
    this.claimRow = db.prepare(
      `UPDATE outbox SET state = 'claimed', owner = @owner, lease_until = @until,
         attempts = attempts + 1, nonces = json_insert(nonces, '$[#]', @nonce),
         first_claimed_at = coalesce(first_claimed_at, @now)
       WHERE id = @id AND state = 'pending'`,
    );
  }

  /**
   * Claims the next item due, most urgent first: not paused, its destination's pace passed, its
   * parent delivered (or lost). Expired claims, and claims of processes that died, are taken back
   * first, marked uncertain (their message may have reached Slack) and due no sooner than
   * `lookUpAfterMs` after the claim began. One immediate transaction.
   */
  next(o: ClaimOptions): Claim {
    return this.db
      .transaction((): Claim => {
        const lease = { leaseMs: o.leaseMs, lookUpAfterMs: o.lookUpAfterMs };
        this.expire.run({ ...lease, now: o.now });
        for (const { owner } of this.owners.all())
          if (owner !== o.owner && !o.alive(owner)) this.release.run({ ...lease, owner });
        const query = this.query(o);
        let row: OutboxRow | undefined;
        // Read one at a time: the first the restriction (if any) keeps is the one claimed.
        for (const candidate of this.candidates.iterate(query))
          if (!o.only || o.only(candidate)) {
            row = candidate;
            break;
          }
        if (row === undefined) {
          for (const waiting of this.paced.iterate(query))
            if (!o.only || o.only(waiting)) return { pacedUntil: waiting.next_at };
          return {};
        }
        const item = toItem(row);
        const claimed = this.claimRow.run({
          id: row.id,
          owner: o.owner,
          until: o.now + o.leaseMs,
          nonce: o.nonce,
          now: o.now,
        });
        if (claimed.changes !== 1) return {};
        if (!item.parentLost) this.setPace.run(row.destination, o.now + o.spacingMs);
        return {
          item: {
            ...item,
            attempts: item.attempts + 1,
            nonces: [...item.nonces, o.nonce],
            firstClaimedAt: item.firstClaimedAt ?? o.now,
          },
        };
      })
      .immediate();
  }

  /**
   * The claim's parameters. Whether a pause holds an item back depends on its method and on
   * whether it is a direct message (conversations.open): each is asked once of `blocked`.
   */
  private query(o: ClaimOptions): Query {
    const held = (userId: string | null) =>
      METHODS.filter((method) => o.blocked({ method, userId }));
    return {
      now: o.now,
      furthest: o.now + FURTHEST_MS,
      kinds: JSON.stringify([...o.kinds]),
      held: JSON.stringify(held(null)),
      heldDirect: JSON.stringify(held("U")),
    };
  }

  /** Holds a destination back until `until` (an outage backs off the whole channel). */
  hold(destination: string, until: number): void {
    if ((this.paceOf.get(destination)?.next_at ?? 0) < until) this.setPace.run(destination, until);
  }
}

import type { Claim, ClaimOptions } from "../domain/outbox.js";
import type { Db } from "./db.js";
import { FURTHEST_MS, type OutboxRow, toItem, WITH_PARENT } from "./outbox-row.js";

/**
 * Who sends what next: the outbox's claims, each item leased to one sender at a time, and the
 * pace of each destination (slack_pace), kept in the same immediate transaction as the claim.
 */
export class OutboxClaims {
  private readonly candidates;
  private readonly expire;
  private readonly owners;
  private readonly release;
  private readonly paceOf;
  private readonly setPace;
  private readonly claimRow;

  constructor(private readonly db: Db) {
    // An attempt set further ahead than any wait this app sets was set before the clock stepped
    // back (NTP): it is due now, not hours later.
    this.candidates = db.prepare<[number, number], OutboxRow>(
      `${WITH_PARENT} WHERE o.state = 'pending' AND (o.next_attempt_at <= ? OR o.next_attempt_at > ?)
         AND (o.parent_id IS NULL OR p.state IN ('delivered', 'failed', 'dropped'))
       ORDER BY o.priority, o.id LIMIT 200`,
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
        const paced = new Map<string, number>();
        let pacedUntil: number | undefined;
        for (const row of this.candidates.all(o.now, o.now + FURTHEST_MS)) {
          if (!o.kinds.has(row.kind)) continue;
          const item = toItem(row);
          if (o.only && !o.only(item)) continue;
          if (!item.parentLost && o.blocked(item)) continue;
          let next = paced.get(row.destination);
          if (next === undefined) {
            next = this.paceOf.get(row.destination)?.next_at ?? 0;
            paced.set(row.destination, next);
          }
          // A pace set further ahead than any wait was set before the clock stepped back.
          if (next > o.now && next <= o.now + FURTHEST_MS && !item.parentLost) {
            pacedUntil = Math.min(pacedUntil ?? next, next);
            continue;
          }
          const claimed = this.claimRow.run({
            id: row.id,
            owner: o.owner,
            until: o.now + o.leaseMs,
            nonce: o.nonce,
            now: o.now,
          });
          if (claimed.changes !== 1) continue;
          if (!item.parentLost) this.setPace.run(row.destination, o.now + o.spacingMs);
          return {
            item: {
              ...item,
              attempts: item.attempts + 1,
              nonces: [...item.nonces, o.nonce],
              firstClaimedAt: item.firstClaimedAt ?? o.now,
            },
          };
        }
        return pacedUntil === undefined ? {} : { pacedUntil };
      })
      .immediate();
  }

  /** Holds a destination back until `until` (an outage backs off the whole channel). */
  hold(destination: string, until: number): void {
    if ((this.paceOf.get(destination)?.next_at ?? 0) < until) this.setPace.run(destination, until);
  }
}

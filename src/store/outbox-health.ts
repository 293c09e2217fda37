import type { OutboxHealth } from "../domain/outbox.js";
import type { Db } from "./db.js";

interface FailureRow {
  kind: string;
  org_id: string | null;
  ref: string | null;
  failure: string;
  at: number;
}

/** The alert an item is about, by its ref (`alert:<org>:<id>`); null when it is about none. */
function alertIdOf(ref: string | null): number | null {
  const id = /^alert:[^:]*:(\d+)$/.exec(ref ?? "")?.[1];
  return id === undefined ? null : Number(id);
}

/**
 * What the outbox holds, for /healthz, /metrics and `status`: read on every request, so its
 * statements are prepared once.
 */
export class OutboxHealthQueries {
  private readonly pending;
  private readonly inFlight;
  private readonly failure;
  private readonly waitingFor;

  constructor(db: Db) {
    // A message never tried waits from when it is due: a growth reply queued for 10 minutes
    // later (see AlertOutbox) is not late meanwhile.
    this.pending = db.prepare<[], { kind: string; n: number; oldest: number }>(
      `SELECT kind, count(*) AS n,
         min(CASE WHEN first_claimed_at IS NULL THEN max(created_at, next_attempt_at) ELSE created_at END) AS oldest
       FROM outbox WHERE state IN ('pending', 'claimed') GROUP BY kind`,
    );
    this.inFlight = db
      .prepare<[], number>("SELECT count(*) FROM outbox WHERE state = 'claimed'")
      .pluck();
    this.failure = db.prepare<[], FailureRow>(
      `SELECT kind, org_id, ref, failure, settled_at AS at FROM outbox WHERE state = 'failed'
       ORDER BY settled_at DESC LIMIT 1`,
    );
    this.waitingFor = db
      .prepare<[string], number>(
        "SELECT count(*) FROM outbox WHERE state IN ('pending', 'claimed') AND org_id = ?",
      )
      .pluck();
  }

  /** Depth by kind, the oldest waiting item and the last failure. */
  read(): OutboxHealth {
    const pending = this.pending.all();
    const failure = this.failure.get();
    return {
      pendingByKind: Object.fromEntries(pending.map((p) => [p.kind, p.n])),
      inFlight: this.inFlight.get() ?? 0,
      oldestPendingAt: pending.length === 0 ? null : Math.min(...pending.map((p) => p.oldest)),
      lastFailure: failure
        ? {
            kind: failure.kind,
            orgId: failure.org_id,
            alertId: alertIdOf(failure.ref),
            reason: failure.failure,
            at: failure.at,
          }
        : null,
    };
  }

  /** How many of an organization's items wait (pending or being sent). */
  waiting(orgId: string): number {
    return this.waitingFor.get(orgId) ?? 0;
  }
}

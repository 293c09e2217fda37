import type { OutboxHealth } from "../domain/outbox.js";
import type { Db } from "./db.js";

type Scope = { org: string | null };

/**
 * What the outbox holds, for /healthz, /metrics and `status`: read on every request, so its
 * statements are prepared once (for the whole outbox and for one organization's items).
 */
export class OutboxHealthQueries {
  private readonly all;
  private readonly one;
  private readonly waitingFor;

  constructor(db: Db) {
    const statements = (org: string) => ({
      pending: db.prepare<Scope, { kind: string; n: number; oldest: number }>(
        `SELECT kind, count(*) AS n, min(created_at) AS oldest FROM outbox
         WHERE state IN ('pending', 'claimed') ${org} GROUP BY kind`,
      ),
      inFlight: db.prepare<Scope, { n: number }>(
        `SELECT count(*) AS n FROM outbox WHERE state = 'claimed' ${org}`,
      ),
      failure: db.prepare<Scope, { kind: string; key: string; failure: string; at: number }>(
        `SELECT kind, key, failure, settled_at AS at FROM outbox WHERE state = 'failed' ${org}
         ORDER BY settled_at DESC LIMIT 1`,
      ),
    });
    this.all = statements("");
    this.one = statements("AND org_id = @org");
    this.waitingFor = db.prepare<[string], { n: number }>(
      "SELECT count(*) AS n FROM outbox WHERE state IN ('pending', 'claimed') AND org_id = ?",
    );
  }

  /** Depth by kind, the oldest waiting item and the last failure (of one organization's items). */
  read(orgId?: string): OutboxHealth {
    const q = orgId === undefined ? this.all : this.one;
    const scope = { org: orgId ?? null };
    const pending = q.pending.all(scope);
    const failure = q.failure.get(scope);
    return {
      pendingByKind: Object.fromEntries(pending.map((p) => [p.kind, p.n])),
      inFlight: q.inFlight.get(scope)?.n ?? 0,
      oldestPendingAt: pending.length === 0 ? null : Math.min(...pending.map((p) => p.oldest)),
      lastFailure: failure
        ? { kind: failure.kind, key: failure.key, reason: failure.failure, at: failure.at }
        : null,
    };
  }

  /** How many of an organization's items wait (pending or being sent). */
  waiting(orgId: string): number {
    return this.waitingFor.get(orgId)?.n ?? 0;
  }
}

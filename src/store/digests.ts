import type { DigestMessage } from "../domain/digest.js";
import type { Db } from "./db.js";

/**
 * `daily` and `weekly`: scheduled, one after the other with no gap; `backfill`: the first start's
 * history, once; `on-demand`: posted when asked, outside the schedule.
 */
export type DigestKind = "daily" | "weekly" | "backfill" | "on-demand";

/** Where the store stood when a digest was composed: what the next digest of its kind takes up from. */
export interface DigestPositions {
  /** The newest event seq stored (the first start's summary: the newest call of the history). */
  readonly storedThrough: number;
  /** The newest alert link made (`alert_events.made`). */
  readonly linkedThrough: number;
}

export interface DigestRecord {
  readonly id: number;
  readonly orgId: string;
  readonly kind: DigestKind;
  readonly periodStart: number;
  readonly periodEnd: number;
  readonly late: boolean;
  readonly message: DigestMessage;
  readonly chart: Buffer | null;
  readonly channel: string | null;
  readonly ts: string | null;
  readonly attemptedAt: number | null;
  /** The newest event seq stored when it was made (null for digests made before it was kept). */
  readonly storedThrough: number | null;
}

interface DigestRow {
  id: number;
  org_id: string;
  kind: string;
  period_start: number;
  period_end: number;
  late: number;
  message: string;
  chart: Buffer | null;
  channel: string | null;
  ts: string | null;
  attempted_at: number | null;
  stored_through: number | null;
}

const toRecord = (row: DigestRow): DigestRecord => ({
  id: row.id,
  orgId: row.org_id,
  kind: row.kind as DigestKind,
  periodStart: row.period_start,
  periodEnd: row.period_end,
  late: row.late === 1,
  message: JSON.parse(row.message) as DigestMessage,
  chart: row.chart,
  channel: row.channel,
  ts: row.ts,
  attemptedAt: row.attempted_at,
  storedThrough: row.stored_through,
});

/** Digests due and delivered: one per organization, kind and period, never two. */
export class DigestRecordStore {
  constructor(private readonly db: Db) {}

  /** The organizations a digest was recorded for. */
  orgs(): string[] {
    return this.db.prepare<[], string>("SELECT DISTINCT org_id FROM digests").pluck().all();
  }

  /**
   * Creates the period's digest unless it exists; true when this call created it. `positions`:
   * where the store stood when its figures were read.
   */
  create(
    orgId: string,
    kind: DigestKind,
    start: number,
    end: number,
    late: boolean,
    message: DigestMessage,
    chart: Buffer | null,
    now: number,
    positions?: DigestPositions,
  ): boolean {
    return (
      this.db
        .prepare(
          `INSERT INTO digests (org_id, kind, period_start, period_end, late, message, chart, created_at, stored_through, linked_through)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (org_id, kind, period_end) DO NOTHING`,
        )
        .run(
          orgId,
          kind,
          start,
          end,
          late ? 1 : 0,
          JSON.stringify(message),
          chart,
          now,
          positions?.storedThrough ?? null,
          positions?.linkedThrough ?? null,
        ).changes === 1
    );
  }

  /**
   * Where the digest before a period starting at `since` stood: the newest digest of `kinds`
   * ending by then. Each position undefined with none, or when that digest was made before it was
   * kept.
   */
  positionsBefore(
    orgId: string,
    kinds: readonly DigestKind[],
    since: number,
  ): Partial<DigestPositions> {
    const row = this.db
      .prepare<Array<string | number>, { stored: number | null; linked: number | null }>(
        `SELECT stored_through AS stored, linked_through AS linked FROM digests
         WHERE org_id = ? AND kind IN (${kinds.map(() => "?").join(", ")}) AND period_end <= ?
         ORDER BY period_end DESC LIMIT 1`,
      )
      .get(orgId, ...kinds, since);
    return {
      ...(row?.stored != null && { storedThrough: row.stored }),
      ...(row?.linked != null && { linkedThrough: row.linked }),
    };
  }

  /**
   * Digests of a period ending later than `now` (made by a clock that was ahead: a host booted
   * with a wrong clock, or one NTP then stepped back) are not their periods': kept apart, each
   * under a kind of its own (`ahead-<id>`), so that each period's is made when it comes. Their
   * ids. One that clock made after its period really ended stands.
   */
  setAsideFuture(orgId: string, kind: DigestKind, now: number): number[] {
    const ids = this.db
      .prepare<[string, string, number], number>(
        "SELECT id FROM digests WHERE org_id = ? AND kind = ? AND period_end > ?",
      )
      .pluck()
      .all(orgId, kind, now);
    const apart = this.db.prepare<[number]>(
      "UPDATE digests SET kind = 'ahead-' || id WHERE id = ?",
    );
    for (const id of ids) apart.run(id);
    return ids;
  }

  exists(orgId: string, kind: DigestKind, end: number): boolean {
    return (
      this.db
        .prepare("SELECT 1 FROM digests WHERE org_id = ? AND kind = ? AND period_end = ?")
        .get(orgId, kind, end) !== undefined
    );
  }

  hasAny(orgId: string, kind: DigestKind): boolean {
    return (
      this.db
        .prepare("SELECT 1 FROM digests WHERE org_id = ? AND kind = ? LIMIT 1")
        .get(orgId, kind) !== undefined
    );
  }

  /**
   * The end of the newest digest of a kind recorded up to `now`: one recorded while the clock was
   * ahead (a host booted with a wrong clock) does not count as done what is still to come.
   */
  newestEnd(orgId: string, kind: DigestKind, now: number): number | undefined {
    return (
      this.db
        .prepare<[string, string, number], number>(
          "SELECT max(period_end) FROM digests WHERE org_id = ? AND kind = ? AND period_end <= ?",
        )
        .pluck()
        .get(orgId, kind, now) ?? undefined
    );
  }

  /** Where the newest digest of the kind ending before `before` ended (the unique index seeks it). */
  lastEnd(orgId: string, kind: DigestKind, before: number): number | undefined {
    return (
      this.db
        .prepare<[string, string, number], number>(
          "SELECT max(period_end) FROM digests WHERE org_id = ? AND kind = ? AND period_end < ?",
        )
        .pluck()
        .get(orgId, kind, before) ?? undefined
    );
  }

  /** Digests neither posted nor refused for good (nor made by a clock that was ahead). */
  pending(orgId: string): DigestRecord[] {
    return this.db
      .prepare<[string], DigestRow>(
        `SELECT * FROM digests WHERE org_id = ? AND posted_at IS NULL AND refused IS NULL
         AND kind NOT LIKE 'ahead-%' ORDER BY id`,
      )
      .all(orgId)
      .map(toRecord);
  }

  /** The period's digest, if recorded. */
  byPeriod(orgId: string, kind: DigestKind, end: number): DigestRecord | undefined {
    const row = this.db
      .prepare<[string, string, number], DigestRow>(
        "SELECT * FROM digests WHERE org_id = ? AND kind = ? AND period_end = ?",
      )
      .get(orgId, kind, end);
    return row ? toRecord(row) : undefined;
  }

  /** Where the digest's message is, once Slack took it. */
  markParent(id: number, channel: string, ts: string): void {
    this.db.prepare("UPDATE digests SET channel = ?, ts = ? WHERE id = ?").run(channel, ts, id);
  }

  markPosted(id: number, now: number): void {
    this.db.prepare("UPDATE digests SET posted_at = ? WHERE id = ?").run(now, id);
  }

  /** Slack refused the digest for good (or its own `digest --post` gave up): never queued again. */
  markRefused(id: number, reason: string): void {
    this.db.prepare("UPDATE digests SET refused = ? WHERE id = ?").run(reason, id);
  }

  list(orgId: string): DigestRecord[] {
    return this.db
      .prepare<[string], DigestRow>("SELECT * FROM digests WHERE org_id = ? ORDER BY id")
      .all(orgId)
      .map(toRecord);
  }
}

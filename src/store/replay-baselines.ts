import { HOUR } from "../time-units.js";
import { BASELINE_HOURS_KEPT, BaselineReader } from "./baselines.js";
import type { Db } from "./db.js";
import { refOf as ref } from "./strings.js";

/**
 * The baselines as a replay (`rules test`) reads them: a person's hours older than the hourly
 * counts kept (BASELINE_HOURS_KEPT before `now`, pruned every day) are counted from the stored MCP
 * events instead, as the bot had them when it judged; those retention deleted (`deletedBefore`)
 * are missing, and `partial` says until when a baseline lacked them.
 */
export class ReplayBaselines extends BaselineReader {
  private readonly counted;
  private readonly keptFrom: number;
  /** Per person, the hours with calls from `from` to the hours kept, counted once from the events. */
  private readonly older = new Map<string, OlderHours>();
  private partialUntil: number | undefined;

  constructor(
    db: Db,
    now: number,
    private readonly deletedBefore: number | undefined,
  ) {
    super(db);
    this.keptFrom = Math.floor(now / HOUR) - BASELINE_HOURS_KEPT;
    // On the index of MCP events by person and time: a seek to the person's hours, never a scan.
    this.counted = db.prepare<Record<string, unknown>, [number, number]>(
      `SELECT time / ${HOUR} AS hour, count(*) AS calls FROM event_rows INDEXED BY event_rows_mcp_user
         WHERE org = ${ref("@orgId")} AND is_mcp = 1 AND user_id = ${ref("@userId")}
           AND time >= @from AND time < @to AND tool IS NOT NULL GROUP BY hour ORDER BY hour`,
    );
    this.counted.raw(true);
  }

  /**
   * When some baseline reached back past the events retention deleted: the end of the last hour
   * judged on one, and the time before which events were deleted.
   */
  partial(): { readonly until: number; readonly deletedBefore: number } | undefined {
    if (this.partialUntil === undefined || this.deletedBefore === undefined) return undefined;
    return { until: this.partialUntil, deletedBefore: this.deletedBefore };
  }

  protected override hoursBetween(
    orgId: string,
    userId: string | null,
    from: number,
    to: number,
  ): number[] {
    if (from >= this.keptFrom) return super.hoursBetween(orgId, userId, from, to);
    if (this.deletedBefore !== undefined && from * HOUR < this.deletedBefore)
      this.partialUntil = Math.max(this.partialUntil ?? 0, (to + 2) * HOUR);
    const { hours, calls } = this.olderHours(orgId, userId, from);
    const older = calls.slice(firstAtOrAfter(hours, from), firstAtOrAfter(hours, to));
    return to > this.keptFrom
      ? [...older, ...super.hoursBetween(orgId, userId, this.keptFrom, to)]
      : older;
  }

  /** The person's hours with calls from `from` to the hours kept: read once, from the earliest. */
  private olderHours(orgId: string, userId: string | null, from: number): OlderHours {
    const key = `${orgId}|${userId}`;
    const known = this.older.get(key);
    if (known !== undefined && known.from <= from) return known;
    const rows = this.counted.all({ orgId, userId, from: from * HOUR, to: this.keptFrom * HOUR });
    const read = { from, hours: rows.map((r) => r[0]), calls: rows.map((r) => r[1]) };
    if (this.older.size > 10_000) this.older.clear();
    this.older.set(key, read);
    return read;
  }
}

/** A person's hours with calls, in order, and the calls in each. */
interface OlderHours {
  readonly from: number;
  readonly hours: readonly number[];
  readonly calls: readonly number[];
}

/** The index of the first of the ordered `hours` at or after `hour`. */
function firstAtOrAfter(hours: readonly number[], hour: number): number {
  let [low, high] = [0, hours.length];
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((hours[mid] ?? hour) < hour) low = mid + 1;
    else high = mid;
  }
  return low;
}

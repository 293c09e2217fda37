import type { NormalizedEvent, StoredEvent } from "../domain/event.js";
import { historyTime } from "../domain/plausible-time.js";
import { DAY, HOUR } from "../time-units.js";
import type { Db } from "./db.js";
import { refOf as ref, type StringTable } from "./strings.js";

/** Hours of calls kept per person: the 14 days of the baseline and the day being judged. */
export const BASELINE_HOURS_KEPT = (15 * DAY) / HOUR;

/**
 * A call as the baselines record it: with its seq, and, for a call stored before (recorded again
 * after `reclassify`, or listed as MCP later), when it was stored: without, it is stored now.
 */
export interface RecordedCall {
  readonly event: NormalizedEvent;
  readonly seq: number;
  readonly storedAt?: number;
}

/** A call stored before, as the baselines record it again. */
export const recordedAgain = (event: StoredEvent): RecordedCall => ({
  event,
  seq: event.seq,
  storedAt: event.ingestedAt,
});

/** The scopes an MCP tool call is in: anywhere, its site, its product, its space or project. */
function scopesOf(event: Pick<NormalizedEvent, "siteHost" | "product" | "place">): string[] {
  const site = event.siteHost?.toLowerCase() ?? "";
  const scopes = ["*"];
  if (event.siteHost) scopes.push(`site:${site}`);
  if (event.product) scopes.push(`product:${event.product}`);
  for (const space of event.place.spaces) scopes.push(`space:${site}/${space.toUpperCase()}`);
  for (const project of event.place.projects)
    scopes.push(`project:${site}/${project.toUpperCase()}`);
  return scopes;
}

/**
 * Keeps person_scopes and person_hours (migrations/0014) as events are stored: the batch's
 * calls are summed in memory and written with one upsert per person and scope, and per person
 * and hour. Call inside the transaction that stores the events.
 */
export class BaselineWriter {
  private readonly scope;
  private readonly lateScope;
  private readonly hour;
  private readonly clearScopes;
  private readonly clearHours;

  constructor(
    db: Db,
    private readonly strings: StringTable,
  ) {
    this.scope = db.prepare<[number, number, string, number, number, number]>(
      `INSERT INTO person_scopes (org, user_id, scope, first_seq, first_time, last_time) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (org, user_id, scope) DO UPDATE SET
         first_time = CASE WHEN excluded.first_seq < first_seq THEN excluded.first_time ELSE first_time END,
         first_seq = min(first_seq, excluded.first_seq),
         last_time = max(last_time, excluded.last_time)`,
    );
    // A call that became one later: the first call of a scope already recorded stays the call the
    // rules said opened it, only its time goes back (the `*` scope's is the person's first call).
    this.lateScope = db.prepare<[number, number, string, number, number, number]>(
      `INSERT INTO person_scopes (org, user_id, scope, first_seq, first_time, last_time) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (org, user_id, scope) DO UPDATE SET
         first_time = min(first_time, excluded.first_time),
         last_time = max(last_time, excluded.last_time)`,
    );
    this.hour = db.prepare<[number, number, number, number]>(
      `INSERT INTO person_hours (org, user_id, hour, calls) VALUES (?, ?, ?, ?)
       ON CONFLICT (org, user_id, hour) DO UPDATE SET calls = calls + excluded.calls`,
    );
    this.clearScopes = db.prepare<[number]>("DELETE FROM person_scopes WHERE org = ?");
    this.clearHours = db.prepare<[number]>("DELETE FROM person_hours WHERE org = ?");
  }

  /** Forgets the organization's baselines, to record them again (after `reclassify`). */
  clear(orgId: string): void {
    const org = this.strings.lookup(orgId);
    if (org === undefined) return;
    this.clearScopes.run(org);
    this.clearHours.run(org);
  }

  /** Records stored events (with their seq); `now` bounds the hours kept. */
  record(stored: readonly RecordedCall[], now: number): void {
    const tally = this.tally(now);
    tally.add(stored);
    this.write(tally);
  }

  /**
   * Records stored events that became MCP calls after they were stored (an action newly listed as
   * MCP), as if they had been from the start, except that a scope already recorded keeps the call
   * recorded as its first: the rules told of that one (see `lateScope`).
   */
  recordLate(stored: readonly RecordedCall[], now: number): void {
    const tally = this.tally(now);
    tally.add(stored);
    this.write(tally, this.lateScope);
  }

  /** An empty tally of events to write later (`now` bounds the hours kept). */
  tally(now: number): BaselineTally {
    return new BaselineTally(now, (value) => this.strings.ref(value));
  }

  /** Writes what a tally summed: one upsert per person and scope, and per person and hour. */
  write(tally: BaselineTally, scope = this.scope): void {
    for (const s of tally.scopes.values())
      scope.run(s.org, s.user, s.scope, s.seq, s.first, s.last);
    for (const h of tally.hours.values()) this.hour.run(h.org, h.user, h.hour, h.calls);
  }
}

/**
 * Stored MCP calls summed per person and scope (the first and last call) and per person and hour
 * (the calls of the hours kept before `now`), in memory: written with BaselineWriter.write.
 */
class BaselineTally {
  readonly scopes = new Map<
    string,
    { org: number; user: number; scope: string; seq: number; first: number; last: number }
  >();
  readonly hours = new Map<string, { org: number; user: number; hour: number; calls: number }>();
  private readonly oldestHour: number;

  /**
   * `now`: it bounds the hours kept, and is when a call without `storedAt` was stored (which
   * dates a wrongly dated call Atlassian gave no processing time: historyTime); `ref`: the
   * strings table's ref of an organization or account id.
   */
  constructor(
    private readonly now: number,
    private readonly ref: (value: string) => number,
  ) {
    this.oldestHour = Math.floor(now / HOUR) - BASELINE_HOURS_KEPT;
  }

  add(stored: readonly RecordedCall[]): void {
    for (const { event, seq, storedAt = this.now } of stored) {
      if (!event.isMcp || event.userId === null || event.tool === null) continue;
      const [org, user] = [this.ref(event.orgId), this.ref(event.userId)];
      // A call dated years ahead or before the audit log's days sets no person's history start:
      // it would switch their baselines off, or give a newcomer weeks of history.
      const time = historyTime(event, storedAt);
      for (const scope of scopesOf(event)) {
        const key = `${org}|${user}|${scope}`;
        const known = this.scopes.get(key);
        if (!known) this.scopes.set(key, { org, user, scope, seq, first: time, last: time });
        else {
          if (seq < known.seq) {
            known.seq = seq;
            known.first = time;
          }
          known.last = Math.max(known.last, time);
        }
      }
      const hour = Math.floor(event.time / HOUR);
      if (hour < this.oldestHour) continue;
      const key = `${org}|${user}|${hour}`;
      const known = this.hours.get(key);
      if (known) known.calls++;
      else this.hours.set(key, { org, user, hour, calls: 1 });
    }
  }
}

/** Reads the baselines as of one stored event (its own batch included: it is stored). */
export class BaselineReader {
  private readonly since;
  private readonly opened;
  private readonly hours;
  /** A person's hours before the hour being judged: read once per person and hour. */
  private readonly hoursCache = new Map<string, number[]>();

  constructor(db: Db) {
    const who = `org = ${ref("@orgId")} AND user_id = ${ref("@userId")}`;
    this.since = db
      .prepare<Record<string, unknown>, number>(
        `SELECT first_time FROM person_scopes WHERE ${who} AND scope = '*'`,
      )
      .pluck();
    this.opened = db
      .prepare<Record<string, unknown>, string>(
        `SELECT scope FROM person_scopes WHERE ${who} AND first_seq = @seq AND scope != '*' ORDER BY scope`,
      )
      .pluck();
    this.hours = db
      .prepare<Record<string, unknown>, number>(
        `SELECT calls FROM person_hours WHERE ${who} AND hour >= @from AND hour < @to`,
      )
      .pluck();
  }

  /** When this person's first MCP tool call kept here happened; null: none. */
  firstCall(event: Pick<StoredEvent, "orgId" | "userId">): number | null {
    return this.since.get({ orgId: event.orgId, userId: event.userId }) ?? null;
  }

  /** The scopes this very event was the person's first call into. */
  openedBy(event: Pick<StoredEvent, "orgId" | "userId" | "seq">): string[] {
    return this.opened.all({ orgId: event.orgId, userId: event.userId, seq: event.seq });
  }

  /**
   * The person's calls in each clock hour with any, over `days` before the hour ending at the
   * event: the clock hour it overlaps is left out, or a spike started the hour before would be
   * its own baseline.
   */
  hoursBefore(event: Pick<StoredEvent, "orgId" | "userId" | "time">, days: number): number[] {
    const hour = Math.floor(event.time / HOUR) - 1;
    const key = `${event.orgId}|${event.userId}|${hour}|${days}`;
    let counts = this.hoursCache.get(key);
    if (counts === undefined) {
      counts = this.hoursBetween(event.orgId, event.userId, hour - days * 24, hour);
      if (this.hoursCache.size > 10_000) this.hoursCache.clear();
      this.hoursCache.set(key, counts);
    }
    return counts;
  }

  /** The person's calls in each clock hour with any from `from` to before `to` (hour numbers). */
  protected hoursBetween(orgId: string, userId: string | null, from: number, to: number): number[] {
    return this.hours.all({ orgId, userId, from, to });
  }
}

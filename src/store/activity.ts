import type { ActivityFilter, ActivityRow, CsvEvent, PageCursor } from "../domain/activity.js";
import type { StoredEvent } from "../domain/event.js";
import { Windows } from "../query/windows.js";
import { type Params, where } from "./activity-where.js";
import { AlertedEvents } from "./alerted-events.js";
import type { Db } from "./db.js";
import { type EventRow, eventsFrom } from "./event-rows.js";
import { firstCallWith } from "./first-call-with.js";
import { type PeopleCalls, peopleCalls } from "./people-calls.js";
import { holdersOf, lookalikes, nearestPerson, ownPeople, personIds } from "./people-match.js";
import { PERSON, personOf } from "./person-sql.js";
import { type SeenColumn, valuesSeen } from "./values-seen.js";

/** Rows read at a time for a CSV export. */
const CSV_CHUNK = 2_000;
/**
 * How long reading one window of an export's time should take: a statement looking for a rare
 * word reads its window's events whatever it finds, so its time is bounded by the window's.
 */
const CSV_WINDOW_MS = 10;

interface ScanRow {
  time: number;
  person: string | null;
  tool: string | null;
  operation: string | null;
  tool_class: string | null;
  site_host: string | null;
  auth_kind: string;
  resource: string | null;
}

interface CsvRow {
  seq: number;
  time: number;
  user_name: string | null;
  user_email: string | null;
  tool: string | null;
  operation: string | null;
  tool_class: string | null;
  tool_guessed: number | null;
  product: string | null;
  resource: string | null;
  site_host: string | null;
  ip: string | null;
  country: string | null;
  auth_kind: string;
  client_app: string | null;
  action: string;
  id: string;
}

/** Answers activity questions over stored MCP events. SQL lives here and only here. */
export class ActivityStore {
  /** Each question's alerted events, read by the first of its reads that needs them. */
  private readonly alerted = new WeakMap<ActivityFilter, AlertedEvents>();

  constructor(private readonly db: Db) {}

  /**
   * Reads ahead, letting the event loop in between chunks, the events of the alerts a question
   * asks about (status:, rule:), which its reads then take from memory; without it, the first
   * read that needs them reads them at once.
   */
  async readAlerted(f: ActivityFilter): Promise<void> {
    if (f.rules.length === 0 && f.statuses.length === 0) return;
    if (!this.alerted.has(f)) this.alerted.set(f, await AlertedEvents.readInTurns(this.db, f));
  }

  /** The events of the alerts a question asks about, read once per question (its filter). */
  private alertedOf(f: ActivityFilter): AlertedEvents | undefined {
    if (f.rules.length === 0 && f.statuses.length === 0) return undefined;
    let read = this.alerted.get(f);
    if (!read) {
      read = AlertedEvents.read(this.db, f);
      this.alerted.set(f, read);
    }
    return read;
  }

  /** The calls of the filter's people (see peopleCalls); undefined when it names none known. */
  private peopleOf(f: ActivityFilter): PeopleCalls | undefined {
    return f.people.length === 0 ? undefined : peopleCalls(this.db, f.orgId, f.people);
  }

  /**
   * The columns aggregates need, of the filter's events with a time in [since, until): a wide
   * question is read one window of its time at a time, every window on one prepared statement.
   */
  scanner(f: ActivityFilter): (since: number, until: number) => Generator<ActivityRow> {
    const people = this.peopleOf(f);
    const statement = this.db.prepare<Params, ScanRow>(
      `SELECT time, ${PERSON} AS person, tool, operation, tool_class, site_host, auth_kind, resource
       FROM events WHERE ${where(f, undefined, people).sql}`,
    );
    const alerted = this.alertedOf(f);
    return function* window(since, until) {
      for (const row of statement.iterate(
        ...where({ ...f, since, until }, alerted, people).params,
      )) {
        yield {
          time: row.time,
          person: row.person,
          tool: row.tool,
          innerTool: row.operation,
          toolClass: row.tool_class,
          siteHost: row.site_host,
          authKind: row.auth_kind,
          resource: row.resource,
        };
      }
    };
  }

  /** See `personIds` in people-match.ts. */
  personIds(orgId: string, names: readonly string[], by: "any" | "email" = "any"): string[] {
    return personIds(this.db, orgId, names, by);
  }

  /** See `lookalikes` in people-match.ts. */
  lookalikes(
    orgId: string,
    name: string,
  ): Array<{ id: string; name: string | null; email: string | null }> {
    return lookalikes(this.db, orgId, name);
  }

  /**
   * Where a replay of the events made since `time` starts (`EventStore.iterate`'s `from`): the
   * seq before the first of them, found through the time index; null when none was made since.
   */
  replayFrom(orgId: string, time: number): number | null {
    return (
      this.db
        .prepare<[string, number], { seq: number | null }>(
          "SELECT min(seq) - 1 AS seq FROM events WHERE org_id = ? AND time >= ?",
        )
        .get(orgId, time)?.seq ?? null
    );
  }

  /** See `holdersOf` in people-match.ts. */
  holdersOf(orgId: string, email: string, now: number): string[] {
    return holdersOf(this.db, orgId, email, now);
  }

  /** See `ownPeople` in people-match.ts. */
  ownPeople(orgId: string, email: string, now: number): string[] {
    return ownPeople(this.db, orgId, email, now);
  }

  /** See first-call-with.ts. */
  firstCallWith(orgId: string, accountId: string, email: string): number | undefined {
    return firstCallWith(this.db, orgId, accountId, email);
  }

  /** See values-seen.ts. */
  valuesSeen(orgId: string, column: SeenColumn): string[] {
    return valuesSeen(this.db, column, orgId);
  }

  /** See `nearestPerson` in people-match.ts. */
  nearestPerson(orgId: string, name: string): string | undefined {
    return nearestPerson(this.db, orgId, name);
  }

  /**
   * The newest matching events with a time in [since, until), newest first, at most `limit`, of
   * whatever window of the filter's time; `before` (an event's time and seq) pages on.
   */
  pager(
    f: ActivityFilter,
    before?: PageCursor,
  ): (since: number, until: number, limit: number) => StoredEvent[] {
    const page = before === undefined ? "" : " AND (time < ? OR (time = ? AND seq < ?))";
    const cursor = before === undefined ? [] : [before.time, before.time, before.seq];
    const people = this.peopleOf(f);
    const statement = this.db.prepare<Params, EventRow>(
      `SELECT * FROM events WHERE ${where(f, undefined, people).sql}${page} ORDER BY time DESC, seq DESC LIMIT ?`,
    );
    const alerted = this.alertedOf(f);
    return (since, until, limit) =>
      eventsFrom(
        this.db,
        statement.all(...where({ ...f, since, until }, alerted, people).params, ...cursor, limit),
      );
  }

  /**
   * Every matching event's CSV columns (no raw JSON), oldest first by the time of the call (an
   * event that arrived late among its neighbours), CSV_CHUNK at a time, read in windows of the
   * filter's time that each take about CSV_WINDOW_MS; a window read is yielded even when it found
   * nothing, so that the reader can let the event loop in between two.
   */
  *csvRows(f: ActivityFilter, targetMs = CSV_WINDOW_MS): Generator<CsvEvent[]> {
    const alerted = this.alertedOf(f);
    const people = this.peopleOf(f);
    const statement = this.db.prepare<Params, CsvRow>(
      `SELECT seq, time, user_name, user_email, tool, operation, tool_class, tool_guessed, product,
         resource, site_host, ip, country, auth_kind, client_app, action, id
       FROM events WHERE ${where(f, alerted, people).sql} AND (time > ? OR (time = ? AND seq > ?))
       ORDER BY time, seq LIMIT ?`,
    );
    const windows = new Windows(f.since, f.until, targetMs, "oldest-first");
    for (let window = windows.next(); window; window = windows.next()) {
      const [since, until] = window;
      const { params } = where({ ...f, since, until }, alerted, people);
      let after = { time: since, seq: 0 };
      let took = 0;
      let rows: CsvRow[];
      do {
        const started = performance.now();
        rows = statement.all(...params, after.time, after.time, after.seq, CSV_CHUNK);
        took += performance.now() - started;
        const last = rows.at(-1);
        if (last) after = { time: last.time, seq: last.seq };
        yield rows.map(csvEvent);
      } while (rows.length === CSV_CHUNK);
      windows.took(took);
    }
  }

  /**
   * Open alerts about any of these people (keyed as quietKey keys them, each alert's person as
   * PERSON takes it): the newest `limit`, and how many.
   */
  openAlerts(
    orgId: string,
    people: readonly string[],
    limit: number,
  ): {
    alerts: Array<{ id: number; ruleId: string; title: string; severity: string }>;
    total: number;
  } {
    if (people.length === 0) return { alerts: [], total: 0 };
    const rows = this.db
      .prepare<
        Params,
        { id: number; rule_id: string; title: string; severity: string; total: number }
      >(
        `SELECT id, rule_id, title, severity, count(*) OVER () AS total FROM alerts
         WHERE org_id = ? AND status = 'open' AND notify = 1
         AND ${personOf("alerts")} IN (${people.map(() => "?").join(", ")}) ORDER BY id DESC LIMIT ?`,
      )
      .all(orgId, ...people, limit);
    return {
      alerts: rows.map((row) => ({
        id: row.id,
        ruleId: row.rule_id,
        title: row.title,
        severity: row.severity,
      })),
      total: rows[0]?.total ?? 0,
    };
  }
}

/** An event's CSV columns, as read. */
function csvEvent(r: CsvRow): CsvEvent {
  return {
    time: r.time,
    userName: r.user_name,
    userEmail: r.user_email,
    tool: r.tool,
    innerTool: r.operation,
    toolClass: r.tool_class as CsvEvent["toolClass"],
    toolGuessed: r.tool_guessed === 1,
    product: r.product,
    resource: r.resource,
    siteHost: r.site_host,
    ip: r.ip,
    country: r.country,
    authKind: r.auth_kind as CsvEvent["authKind"],
    clientApp: r.client_app,
    action: r.action,
    id: r.id,
  };
}

import type {
  AlertChange,
  AlertChangeKind,
  ExportedEvent,
  ExportPositions,
  ExportStop,
  ExportStream,
} from "../domain/export.js";
import type { ToolCatalogue } from "../ingest/tools.js";
import type { Db } from "./db.js";
import { ExportAgain } from "./export-again.js";
import { EVENT_COLUMNS, type EventRow, toEvents } from "./export-rows.js";
import { lazyStatements } from "./lazy-statements.js";

/**
 * What the SIEM export reads and where it is (migrations/0011): MCP events by their place in the
 * store, alert changes by their journal id, each from a position per organization, through
 * indexes. Nothing here scans: a read is a range of an index, a look-up is a key.
 */

interface ChangeRow {
  id: number;
  org_id: string;
  alert_id: number;
  raised_at: number;
  at: number;
  change: string;
  alike_before: number;
  rule_id: string;
  status: string;
  severity: string;
  actor: string | null;
  title: string | null;
  user_id: string | null;
  user_name: string | null;
  user_email: string | null;
  notify: number | null;
  suppressed_by: string | null;
}

// A growth can raise an alert's severity twice in one pass (one `now`): the changes of the same
// alert, kind and millisecond journaled before tell them apart, counted through alert_changes_at.
const CHANGE_SELECT = `SELECT c.id, c.org_id, c.alert_id, a.created_at AS raised_at, c.at, c.change,
  (SELECT count(*) FROM alert_changes b WHERE b.org_id = c.org_id AND b.at = c.at
     AND b.alert_id = c.alert_id AND b.change = c.change AND b.id < c.id) AS alike_before,
  c.rule_id, c.status, c.severity, c.actor,
  coalesce(c.title, a.title) AS title, a.user_id, a.user_name, a.user_email, c.notify, c.suppressed_by
  FROM alert_changes c LEFT JOIN alerts a ON a.id = c.alert_id`;

const ORG_REF = "(SELECT ref FROM strings WHERE value = @org)";

const toChange = (row: ChangeRow): AlertChange => ({
  changeId: row.id,
  orgId: row.org_id,
  alertId: row.alert_id,
  alertRaisedAt: row.raised_at,
  at: row.at,
  change: row.change as AlertChangeKind,
  alikeBefore: row.alike_before,
  rule: row.rule_id,
  title: row.title,
  severity: row.severity,
  status: row.status,
  person: { id: row.user_id, name: row.user_name, email: row.user_email },
  changedBy: row.actor,
  forChannel: row.notify === null ? null : row.notify === 1,
  quietedBy: row.suppressed_by,
});

export class ExportStore {
  private readonly eventsAfter_;
  private readonly changesAfter_;
  private readonly firstEvent;
  private readonly firstChange;
  private readonly position;
  private readonly lastDelivery;
  private readonly upsert;
  private readonly startAt;
  private readonly stop_;
  private readonly setStop;
  private readonly clearStop;
  private readonly again: ExportAgain;

  constructor(private readonly db: Db) {
    this.again = new ExportAgain(db, EVENT_COLUMNS);
    // Prepared at first use: the view has the columns of migration 0045 only once migrated.
    const events = lazyStatements(db);
    this.eventsAfter_ = (p: { org: string; after: number; limit: number }) =>
      events(
        `SELECT ${EVENT_COLUMNS} FROM events v WHERE v.seq IN (
         SELECT seq FROM event_rows WHERE org = ${ORG_REF} AND is_mcp = 1 AND seq > @after
         ORDER BY seq LIMIT @limit)
       ORDER BY v.seq`,
      ).all(p) as EventRow[];
    this.changesAfter_ = db.prepare<{ org: string; after: number; limit: number }, ChangeRow>(
      `${CHANGE_SELECT} WHERE c.org_id = @org AND c.id > @after ORDER BY c.id LIMIT @limit`,
    );
    this.firstEvent = db
      .prepare<{ org: string; after: number }, number>(
        `SELECT ingested_at FROM event_rows WHERE org = ${ORG_REF} AND is_mcp = 1 AND seq > @after ORDER BY seq LIMIT 1`,
      )
      .pluck();
    this.firstChange = db
      .prepare<{ org: string; after: number }, number>(
        "SELECT at FROM alert_changes WHERE org_id = @org AND id > @after ORDER BY id LIMIT 1",
      )
      .pluck();
    this.position = db
      .prepare<[string, ExportStream], number>(
        "SELECT position FROM export_positions WHERE org_id = ? AND stream = ?",
      )
      .pluck();
    // A position recorded by `begin`, before any delivery, was delivered to no receiver.
    // Prepared at first use, as `delivered_to` is migration 0061's.
    this.lastDelivery = (orgIds: string, receiver: string) =>
      events(
        `SELECT max(delivered_at) FROM export_positions
         WHERE org_id IN (SELECT value FROM json_each(?)) AND delivered_to = ?`,
      )
        .pluck()
        .get(orgIds, receiver) as number | null | undefined;
    this.upsert = (...row: [string, ExportStream, number, number, string]) =>
      events(
        `INSERT INTO export_positions (org_id, stream, position, delivered_at, delivered_to)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (org_id, stream) DO UPDATE SET position = excluded.position,
           delivered_at = excluded.delivered_at, delivered_to = excluded.delivered_to`,
      ).run(...row);
    this.startAt = db.prepare<[string]>(
      `INSERT OR IGNORE INTO export_positions (org_id, stream, position, delivered_at)
       VALUES (?, 'mcp_event', 0, 0)`,
    );
    this.stop_ = db.prepare<[], ExportStop>("SELECT target, at, reason FROM export_stop");
    this.setStop = db.prepare<[string, number, string]>(
      "INSERT OR REPLACE INTO export_stop (id, target, at, reason) VALUES (1, ?, ?, ?)",
    );
    this.clearStop = db.prepare("DELETE FROM export_stop");
  }

  /**
   * Records that the export runs for these organizations (a position of 0 where none is saved):
   * from then on, an event that becomes an MCP call is queued to be sent again even while the
   * organization's first batch is in flight (see migrations/0043).
   */
  begin(orgIds: readonly string[]): void {
    this.db.transaction(() => {
      for (const orgId of orgIds) this.startAt.run(orgId);
    })();
  }

  /** Where each stream of the organization was delivered up to. */
  positions(orgId: string): ExportPositions {
    return {
      mcp_event: this.position.get(orgId, "mcp_event") ?? 0,
      alert: this.position.get(orgId, "alert") ?? 0,
    };
  }

  /**
   * When the receiver (its fingerprint, as `commit` took it) last took a batch of these
   * organizations (epoch ms); null when never.
   */
  lastDeliveredAt(orgIds: readonly string[], receiver: string): number | null {
    return this.lastDelivery(JSON.stringify(orgIds), receiver) ?? null;
  }

  /**
   * The MCP events queued to be sent again (they became MCP calls after the position passed
   * them), then the next MCP events and alert changes after the positions, read in one
   * transaction so that all come from the same moment. Alert changes only when the events are
   * caught up: an alert is never sent before the events stored before it. `tools`: the catalogue
   * the bot classifies with (toEvents).
   */
  next(
    orgId: string,
    at: ExportPositions,
    limit: number,
    tools?: ToolCatalogue,
  ): { again: ExportedEvent[]; events: ExportedEvent[]; changes: AlertChange[] } {
    return this.db.transaction(() => {
      const again = this.again.queued<EventRow>(orgId, at.mcp_event, limit);
      const left = limit - again.length;
      const events =
        left > 0 ? this.eventsAfter_({ org: orgId, after: at.mcp_event, limit: left }) : [];
      const room = left - events.length;
      const changes =
        room > 0 ? this.changesAfter_.all({ org: orgId, after: at.alert, limit: room }) : [];
      return {
        again: toEvents(this.db, again, tools),
        events: toEvents(this.db, events, tools),
        changes: changes.map(toChange),
      };
    })();
  }

  /**
   * Moves the positions, once the receiver (`delivered.to`, its fingerprint: never the URL, whose
   * path may hold a token) answered 2xx at `delivered.at`, and takes the events it got (`sent`,
   * their seqs) out of the queue to be sent again, in the same transaction.
   */
  commit(
    orgId: string,
    to: ExportPositions,
    delivered: { readonly at: number; readonly to: string },
    sent: readonly number[] = [],
  ): void {
    this.db.transaction(() => {
      this.upsert(orgId, "mcp_event", to.mcp_event, delivered.at, delivered.to);
      this.upsert(orgId, "alert", to.alert, delivered.at, delivered.to);
      this.again.delivered(sent);
    })();
  }

  /** When the oldest record not yet delivered was stored (epoch ms); null when none waits. */
  oldestPendingAt(orgId: string): number | null {
    const at = this.positions(orgId);
    const times = [
      this.firstEvent.get({ org: orgId, after: at.mcp_event }),
      this.firstChange.get({ org: orgId, after: at.alert }),
    ].filter((t): t is number => typeof t === "number");
    return times.length === 0 ? null : Math.min(...times);
  }

  /** MCP events from `since` (event time), oldest first, read a page at a time; `tools` as `next`. */
  *eventsSince(
    orgId: string,
    since: number,
    tools?: ToolCatalogue,
    page = 1_000,
  ): Generator<ExportedEvent> {
    const read = this.db.prepare<
      { org: string; time: number; seq: number; limit: number },
      EventRow
    >(
      `SELECT ${EVENT_COLUMNS} FROM events v WHERE v.seq IN (
         SELECT seq FROM event_rows WHERE org = ${ORG_REF} AND is_mcp = 1
           AND (time, seq) > (@time, @seq)
         ORDER BY time, seq LIMIT @limit)
       ORDER BY v.time, v.seq`,
    );
    let from = { time: since, seq: -1 };
    for (;;) {
      const rows = read.all({ org: orgId, ...from, limit: page });
      yield* toEvents(this.db, rows, tools);
      const last = rows.at(-1);
      if (!last || rows.length < page) return;
      from = { time: last.time, seq: last.seq };
    }
  }

  /** Alert changes from `since`, in the order they happened, a page at a time. */
  *changesSince(orgId: string, since: number, page = 1_000): Generator<AlertChange> {
    const first = this.db
      .prepare<[string, number], number>(
        "SELECT min(id) FROM alert_changes WHERE org_id = ? AND at >= ?",
      )
      .pluck()
      .get(orgId, since);
    if (typeof first !== "number") return;
    let after = first - 1;
    for (;;) {
      const rows = this.changesAfter_.all({ org: orgId, after, limit: page });
      for (const row of rows) if (row.at >= since) yield toChange(row);
      const last = rows.at(-1);
      if (!last || rows.length < page) return;
      after = last.id;
    }
  }

  /** The organizations with MCP events or alert changes stored. */
  orgs(): string[] {
    return this.db
      .prepare<[], string>(
        `SELECT s.value FROM event_counts c JOIN strings s ON s.ref = c.org WHERE c.mcp > 0
         UNION SELECT DISTINCT org_id FROM alert_changes ORDER BY 1`,
      )
      .pluck()
      .all();
  }

  /** The export's stop, when a refusal stopped it. */
  stopped(): ExportStop | undefined {
    return this.stop_.get();
  }

  stop(stop: ExportStop): void {
    this.setStop.run(stop.target, stop.at, stop.reason);
  }

  /** Lets the export go on; whether it was stopped. */
  resume(): boolean {
    return this.clearStop.run().changes > 0;
  }
}

import Database from "better-sqlite3";
import type { NormalizedEvent } from "../../src/domain/event.js";
import { eventKey } from "../../src/store/event-key.js";
import { loadMigrations, migrate } from "../../src/store/migrate.js";
import { insertInto, LEGACY_COLUMNS, legacyValues, simulatedEvents } from "./legacy-events.js";

/**
 * A database as release 0009 left it, with `count` simulated events (a tenth of them backfilled),
 * of org-m or, given `orgs`, of org-0 … org-(orgs-1) in turn.
 */
export function databaseV9(path: string, count: number, orgs?: number): NormalizedEvent[] {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  migrate(db, loadMigrations().slice(0, 9));
  const events: NormalizedEvent[] = [];
  for (const event of simulatedEvents(10)) {
    if (events.length === count) break;
    const orgId = orgs === undefined ? event.orgId : `org-${events.length % orgs}`;
    events.push({ ...event, orgId, backfilled: events.length < count / 10 });
  }
  // 0007 keyed each event (id_key, after id).
  const insert = db.prepare(
    insertInto(LEGACY_COLUMNS.replace("org_id, id, ", "org_id, id, id_key, ")),
  );
  db.transaction(() => {
    for (const e of events) {
      const [orgId, id, ...rest] = legacyValues(e);
      insert.run(orgId, id, eventKey(e.orgId, e.id), ...rest);
    }
  })();
  db.close();
  return events;
}

import Database from "better-sqlite3";
import type { NormalizedEvent } from "../../src/domain/event.js";
import { loadMigrations, migrate } from "../../src/store/migrate.js";
import { insertInto, LEGACY_COLUMNS, legacyValues, simulatedEvents } from "./legacy-events.js";

/**
 * A database as release 0006 left it (before migration 0007 rebuilt the events table), with
 * `count` simulated events, written in batches so a large one needs little memory.
 */
export function databaseV6(path: string, count: number): void {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  migrate(db, loadMigrations().slice(0, 6));
  const insert = db.prepare(insertInto(LEGACY_COLUMNS));
  const add = db.transaction((events: NormalizedEvent[]) => {
    for (const e of events) insert.run(...legacyValues(e));
  });
  let batch: NormalizedEvent[] = [];
  let n = 0;
  for (const event of simulatedEvents(100)) {
    if (n++ === count) break;
    batch.push(event);
    if (batch.length === 5000) {
      add(batch);
      batch = [];
    }
  }
  add(batch);
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
}

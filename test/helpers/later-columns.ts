import type { Db } from "../../src/store/db.js";

/**
 * `write` run by today's stores on a database an upgrade test keeps at an older version: the
 * columns they write that a later migration adds (0039's alert_events.title) exist meanwhile, and
 * are dropped after, so the database is as that version left it when the upgrade runs.
 */
export function withLaterColumns<T>(db: Db, write: () => T): T {
  db.exec("ALTER TABLE alert_events ADD COLUMN title TEXT");
  try {
    return write();
  } finally {
    db.exec("ALTER TABLE alert_events DROP COLUMN title");
  }
}

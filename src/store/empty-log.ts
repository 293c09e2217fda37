import type { Db } from "./db.js";

/**
 * Copies the write-ahead log (the `-wal` file) into the database file and truncates it to nothing
 * (SQLite's TRUNCATE checkpoint), so that what was deleted, overwritten in the file by
 * `secure_delete`, is not left in frames the log still holds. It never waits: false when it cannot
 * be done now (another process reading the database, or the checkpointer's pass under way), to
 * be tried again; what it could copy meanwhile is copied.
 */
export function emptyLog(db: Db): boolean {
  if (db.memory) return true;
  const timeout = db.pragma("busy_timeout", { simple: true }) as number;
  db.pragma("busy_timeout = 0");
  try {
    const [result] = db.pragma("wal_checkpoint(TRUNCATE)") as Array<{ busy: number }>;
    return result?.busy === 0;
  } finally {
    db.pragma(`busy_timeout = ${timeout}`);
  }
}

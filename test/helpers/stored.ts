import Database from "better-sqlite3";

/** How many events a database file holds, read the way another process would: 0 before it exists. */
export function storedEventCount(path: string): number {
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare("SELECT count(*) AS n FROM events").get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0; // not created or not migrated yet
  }
}

/**
 * When the first poll of every organization in a database file had read its history (ms), or
 * undefined while one has not.
 */
export function historyReadAt(path: string): number | undefined {
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      const row = db
        .prepare(
          "SELECT count(*) AS n, sum(backfill_done) AS done, max(backfill_done_at) AS at FROM poll_state",
        )
        .get() as { n: number; done: number | null; at: number | null };
      return row.n > 0 && row.done === row.n && row.at !== null ? row.at : undefined;
    } finally {
      db.close();
    }
  } catch {
    return undefined; // not created or not migrated yet
  }
}

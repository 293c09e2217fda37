import type { Statement } from "better-sqlite3";
import type { Db } from "./db.js";

/** By connection, how many times stored events were classified again through it. */
const counts = new WeakMap<Db, number>();
const dataVersions = new WeakMap<Db, Statement<[], number>>();

/** Stored events were classified again through `db` (EventStore.updateClassification). */
export function classifiedAgainOn(db: Db): void {
  counts.set(db, (counts.get(db) ?? 0) + 1);
}

/**
 * A value that changes whenever stored events may have been classified again: through this
 * connection, or by another connection's commit (SQLite's data_version: `reclassify` run beside
 * the bot). What a reader keeps of events read earlier is to be read again once it changed.
 */
export function classificationVersion(db: Db): string {
  let dataVersion = dataVersions.get(db);
  if (!dataVersion) {
    dataVersion = db.prepare<[], number>("PRAGMA data_version").pluck();
    dataVersions.set(db, dataVersion);
  }
  return `${counts.get(db) ?? 0}/${dataVersion.get()}`;
}

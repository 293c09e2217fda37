import type { Db } from "../../src/store/db.js";

/** The columns today's stores write that migrations after 0025 add, with their types. */
const LATER: ReadonlyArray<readonly [table: string, column: string, type: string]> = [
  ["alert_events", "title", "TEXT"], // 0039
  ["alerts", "subject", "TEXT"], // 0050
  ["mutes", "subject", "TEXT"],
  ["mutes", "subject_label", "TEXT"],
  ["suppressions", "subject", "TEXT"],
  ["suppressions", "subject_label", "TEXT"],
  ["alerts", "about_organization", "INTEGER NOT NULL DEFAULT 0"], // 0051
];

/**
 * `write` run by today's stores on a database an upgrade test keeps at an older version (their
 * statements are prepared when a store is made, so make it inside): the columns they write that
 * a later migration adds exist meanwhile, and are dropped after, so the database is as that
 * version left it when the upgrade runs.
 */
export function withLaterColumns<T>(db: Db, write: () => T): T {
  const has = (table: string, column: string) =>
    db.prepare("SELECT 1 FROM pragma_table_info(?) WHERE name = ?").get(table, column) !==
    undefined;
  const tables = (table: string) =>
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table);
  const added = LATER.filter(([table, column]) => tables(table) && !has(table, column));
  for (const [table, column, type] of added)
    db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
  try {
    return write();
  } finally {
    for (const [table, column] of [...added].reverse())
      db.exec(`ALTER TABLE ${table} DROP COLUMN ${column}`);
  }
}

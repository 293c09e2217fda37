import type Database from "better-sqlite3";
import { FIRST_STAMPING_MIGRATION } from "../../src/store/stamped-since.js";

/**
 * Records that the database was first run by a release that stamps its buttons at `at` (when it
 * applied that release's first migration), as an upgrade at that time leaves it.
 */
export function upgradedAt(db: Database.Database, at: number): void {
  db.prepare("UPDATE schema_migrations SET applied_at = ? WHERE version = ?").run(
    new Date(at).toISOString(),
    FIRST_STAMPING_MIGRATION,
  );
}

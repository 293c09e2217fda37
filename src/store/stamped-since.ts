import type { Db } from "./db.js";

/** The first migration of the releases whose buttons carry their row's stamp (see row-ref.ts). */
export const FIRST_STAMPING_MIGRATION = 22;

/**
 * When this database was first run by a release whose buttons carry their row's stamp (when it
 * applied migration 0022): no row made since was drawn a bare id. 0 when not recorded.
 */
export function stampedSince(db: Db): number {
  const at = db
    .prepare<[number], number | null>(
      "SELECT unixepoch(applied_at, 'subsec') * 1000 FROM schema_migrations WHERE version = ?",
    )
    .pluck()
    .get(FIRST_STAMPING_MIGRATION);
  return at ?? 0;
}

import type { Database } from "better-sqlite3";

/**
 * Migrations a commit on main applied and a later one replaced, before the rule that an applied
 * file is never changed was kept: a database one of them migrated is brought to what this release
 * would have made of it, rather than refused as edited.
 */
export interface Superseded {
  readonly version: number;
  readonly name: string;
  readonly checksum: string;
  /**
   * `apply`: this release's migration of that number is applied as if it were pending (the old
   * one's effect does not stand in for it). `applied`: the old one did all this release's does,
   * so it is recorded as applied. `{ sql }`: this SQL makes up the difference, then it is recorded
   * as applied.
   */
  readonly upgrade: "apply" | "applied" | { readonly sql: string };
}

/**
 * Those known. Others replaced within the first days (0001, 0003 and 0010 as first written) changed
 * tables no SQL here can convert; a database of them is refused (see checkApplied).
 */
const SUPERSEDED: readonly Superseded[] = [
  // Its comments only differed.
  {
    version: 8,
    name: "outbox",
    checksum: "a263677bf735eedd99637f220bd261e858835602fc5aed3571344064935ccfa2",
    upgrade: "applied",
  },
  // Without the rules file's digest, which reclassify compares (recorded at the next start).
  {
    version: 20,
    name: "classified_with",
    checksum: "f96c9032b726978aeb449b325107fcbf0a8a9046cf6c4351ce4e24e57b70a519",
    upgrade: { sql: "ALTER TABLE classified_with ADD COLUMN rules_digest TEXT" },
  },
  // Ended mutes and suppressions on the rules never quieted; 0025 now marks mutes ended early.
  {
    version: 25,
    name: "never_quieted",
    checksum: "0061d7168494e5fa6a626feee134acc4d57adcfa99a6377a3808cc8bdd848105",
    upgrade: "apply",
  },
  // Added digests.refused as 0035 does, and settled refused digests as 0036 now does again.
  {
    version: 35,
    name: "digest_refused",
    checksum: "34c49027de5331970903cd5b9096d1c2bd9d4fad27953fcd2216f032db9a2b89",
    upgrade: "applied",
  },
  // Linked Not me alerts to their calls, as 0037 does again (it ignores links already there).
  {
    version: 36,
    name: "not_me_links",
    checksum: "c8705dd2651b636148bb55ab1618aa0d4cddb7fa00ecd41ebcdff601391b47cd",
    upgrade: "apply",
  },
  // Kept how far each release read the quarantine again; it is read again at each start now.
  {
    version: 52,
    name: "quarantine_recovery",
    checksum: "c8a380bd6d31bd63d1409b8f1bb88487fef531d404e7bf649d0010978a5868e3",
    upgrade: { sql: "DROP TABLE IF EXISTS quarantine_recovery" },
  },
];

interface Row {
  readonly version: number;
  readonly name: string;
  readonly checksum: string;
}

/** The applied rows a replaced migration recorded. */
export function supersededRows(rows: readonly Row[]): Superseded[] {
  return SUPERSEDED.filter((s) =>
    rows.some((r) => r.version === s.version && r.name === s.name && r.checksum === s.checksum),
  );
}

/**
 * Rewrites the record of each replaced migration the database applied: forgotten, so that this
 * release's of that number applies, or recorded as this release's. Within the caller's
 * transaction.
 */
export function resolveSuperseded(db: Database, rows: readonly Row[], current: readonly Row[]) {
  for (const s of supersededRows(rows)) {
    const now = current.find((m) => m.version === s.version);
    if (typeof s.upgrade === "object") db.exec(s.upgrade.sql);
    if (s.upgrade !== "apply" && now) {
      db.prepare("UPDATE schema_migrations SET name = ?, checksum = ? WHERE version = ?").run(
        now.name,
        now.checksum,
        s.version,
      );
    } else {
      db.prepare("DELETE FROM schema_migrations WHERE version = ?").run(s.version);
    }
  }
}

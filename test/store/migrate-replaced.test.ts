/**
 * Migrations replaced on main after a commit had applied them (0008, 0020, 0025, 0035, 0036,
 * 0052, as kept in test/fixtures/replaced-migrations). A database one of them migrated upgrades to this
 * release's schema, as if it had applied this release's; any other migration recorded under a
 * name this release does not have is refused, saying so.
 */
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { loadMigrations, MIGRATIONS_DIR, migrate, upToDate } from "../../src/store/migrate.js";
import { MuteStore } from "../../src/store/mutes.js";
import { HOUR } from "../../src/time-units.js";
import { T0 } from "../detect/fixtures.js";
import { closeAfterTest } from "../helpers/cleanup.js";
import { withLaterColumns } from "../helpers/later-columns.js";
import { tempDir } from "../helpers/tmp.js";

const REPLACED = new URL("../fixtures/replaced-migrations/", import.meta.url).pathname;

/** This release's migrations before `version`, then the replaced file of that number. */
function releaseWith(replaced: string) {
  const dir = join(tempDir(), "migrations");
  mkdirSync(dir);
  const version = Number(replaced.slice(0, 4));
  for (const m of loadMigrations().slice(0, version - 1))
    copyFileSync(join(MIGRATIONS_DIR, m.file), join(dir, m.file));
  copyFileSync(join(REPLACED, replaced), join(dir, replaced));
  return loadMigrations(dir);
}

function openMigratedBy(replaced: string) {
  const db = new Database(join(tempDir(), "m.db"));
  closeAfterTest(() => db.close());
  migrate(db, releaseWith(replaced));
  return db;
}

function recorded(db: Database.Database) {
  return db.prepare("SELECT version, name, checksum FROM schema_migrations ORDER BY version").all();
}

function today() {
  return loadMigrations().map((m) => ({ version: m.version, name: m.name, checksum: m.checksum }));
}

describe("a database a replaced migration migrated", () => {
  it("0008 as first written (its comments differed): recorded as this release's", () => {
    const db = openMigratedBy("0008_outbox.sql");
    migrate(db);
    expect(recorded(db)).toEqual(today());
  });

  it("0020 as first written: the rules file's digest column is added, then the rest applies", () => {
    const db = openMigratedBy("0020_classified_with.sql");
    migrate(db);
    expect(recorded(db)).toEqual(today());
    const columns = db.prepare("SELECT name FROM pragma_table_info('classified_with')").all();
    expect(columns).toContainEqual({ name: "rules_digest" });
  });

  it("0025 as first written: this release's 0025 applies, a mute ended early counts as ended then", () => {
    const db = openMigratedBy("0025_never_quieted.sql");
    // As the release stored a mute a person's "not me" ended: its end moved to that moment.
    withLaterColumns(db, () =>
      new MuteStore(db).add(
        "org-1",
        {
          ruleId: "mcp-write",
          userKey: "acc-ada",
          until: T0 + HOUR,
          reason: "snoozed for 4 h by <@U1>",
        },
        "U1",
        T0,
      ),
    );
    expect(upToDate(db)).toBe(false);
    migrate(db);
    expect(recorded(db)).toEqual(today());
    expect(upToDate(db)).toBe(true);
    expect(db.prepare("SELECT ended_at FROM mutes").get()).toEqual({ ended_at: T0 + HOUR });
  });

  it("0035 as once written: recorded as this release's 0035, and 0036 and 0037 apply", () => {
    const db = openMigratedBy("0035_digest_refused.sql");
    migrate(db);
    expect(recorded(db)).toEqual(today());
    // The column 0035 added is there once (this release's 0035 was not run again).
    const columns = db.prepare("SELECT name FROM pragma_table_info('digests')").all();
    expect(columns.filter((c) => (c as { name: string }).name === "refused")).toHaveLength(1);
  });

  it("0036 as once written (the links of Not me alerts): this release's 0036 and 0037 apply", () => {
    const db = openMigratedBy("0036_not_me_links.sql");
    expect(recorded(db).at(-1)).toMatchObject({ version: 36, name: "not_me_links" });
    migrate(db);
    expect(recorded(db)).toEqual(today());
  });

  it("0052 as first written (a position per release): its table is dropped, 0053 applies", () => {
    const db = openMigratedBy("0052_quarantine_recovery.sql");
    expect(upToDate(db)).toBe(false);
    migrate(db);
    expect(recorded(db)).toEqual(today());
    const table = db
      .prepare("SELECT name FROM sqlite_master WHERE name = 'quarantine_recovery'")
      .all();
    expect(table).toEqual([]);
  });

  it("a migration recorded under a name this release does not have is refused, naming both", () => {
    const db = openMigratedBy("0036_not_me_links.sql");
    db.prepare("UPDATE schema_migrations SET checksum = 'f00' WHERE version = 36").run();
    expect(() => migrate(db)).toThrow(
      "the database's migration 0036 is not_me_links, this release's is 0036_digest_refused_before.sql: it was migrated by a release whose migrations differ from this one's",
    );
  });
});

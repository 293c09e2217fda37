import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { loadMigrations, MIGRATIONS_DIR, migrate } from "../../src/store/migrate.js";
import { openStore } from "../../src/store/open.js";
import { tempDir } from "../helpers/tmp.js";

function tables(db: Database.Database): string[] {
  return db
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
    )
    .all()
    .map((row) => row.name);
}

/** A copy of the real migrations folder that a test may change. */
function migrationsCopy(): string {
  const dir = join(tempDir(), "migrations");
  mkdirSync(dir);
  for (const m of loadMigrations()) copyFileSync(join(MIGRATIONS_DIR, m.file), join(dir, m.file));
  return dir;
}

describe("migrations", () => {
  it("creates the file and its folder, applies every migration once, and sets the pragmas", () => {
    const path = join(tempDir(), "nested", "deeper", "store.db");
    const db = openStore(path);
    const all = loadMigrations();
    expect(
      db.prepare("SELECT version, name FROM schema_migrations ORDER BY version").all(),
    ).toEqual(all.map((m) => ({ version: m.version, name: m.name })));
    expect(tables(db)).toEqual(
      expect.arrayContaining(["events", "poll_state", "quarantined_events", "event_actions"]),
    );
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(db.pragma("synchronous", { simple: true })).toBe(1);
    expect(db.pragma("busy_timeout", { simple: true })).toBe(5000);
    db.close();
  });

  it("puts org_id on every table it creates", () => {
    const db = openStore(join(tempDir(), "s.db"));
    for (const table of tables(db).filter((t) => t !== "schema_migrations")) {
      const columns = db
        .prepare<[], { name: string }>(`PRAGMA table_info(${table})`)
        .all()
        .map((c) => c.name);
      expect(columns, table).toContain("org_id");
    }
    db.close();
  });

  it("does nothing the second time", () => {
    const path = join(tempDir(), "s.db");
    openStore(path).close();
    const db = new Database(path);
    expect(migrate(db)).toEqual([]);
    expect(db.prepare("SELECT count(*) AS n FROM schema_migrations").get()).toEqual({
      n: loadMigrations().length,
    });
    db.close();
  });

  it("applies only the new file after an upgrade", () => {
    const dir = migrationsCopy();
    const db = new Database(join(tempDir(), "s.db"));
    migrate(db, loadMigrations(dir));
    const next = String(loadMigrations(dir).length + 1).padStart(4, "0");
    writeFileSync(join(dir, `${next}_extra.sql`), "CREATE TABLE extra (org_id TEXT NOT NULL);\n");
    expect(migrate(db, loadMigrations(dir)).map((m) => m.file)).toEqual([`${next}_extra.sql`]);
    expect(tables(db)).toContain("extra");
    db.close();
  });

  it("refuses a database whose applied migration was edited", () => {
    const dir = migrationsCopy();
    const db = new Database(join(tempDir(), "s.db"));
    migrate(db, loadMigrations(dir));
    writeFileSync(join(dir, "0001_init.sql"), "-- edited\nCREATE TABLE events (id TEXT);\n");
    expect(() => migrate(db, loadMigrations(dir))).toThrow(
      /0001_init\.sql was changed after it was applied/,
    );
    db.close();
  });

  it("refuses a database migrated by a newer release", () => {
    const dir = migrationsCopy();
    const path = join(tempDir(), "s.db");
    const db = new Database(path);
    const next = String(loadMigrations(dir).length + 1).padStart(4, "0");
    writeFileSync(join(dir, `${next}_future.sql`), "CREATE TABLE future (org_id TEXT);\n");
    migrate(db, loadMigrations(dir));
    db.close();
    expect(() => openStore(path)).toThrow(
      /schema version \d+ \(future\) but this mcp-activity knows only up to/,
    );
  });

  it("rolls a failing migration back whole", () => {
    const dir = migrationsCopy();
    const db = new Database(join(tempDir(), "s.db"));
    migrate(db, loadMigrations(dir));
    const next = String(loadMigrations(dir).length + 1).padStart(4, "0");
    writeFileSync(
      join(dir, `${next}_broken.sql`),
      "CREATE TABLE half (org_id TEXT);\nSELECT nonsense FROM nowhere;\n",
    );
    expect(() => migrate(db, loadMigrations(dir))).toThrow(/no such table: nowhere/);
    expect(tables(db)).not.toContain("half");
    db.close();
  });

  it("rejects a misnamed or out-of-sequence file", () => {
    const dir = migrationsCopy();
    writeFileSync(join(dir, "9999_gap.sql"), "SELECT 1;");
    expect(() => loadMigrations(dir)).toThrow(/9999_gap\.sql is out of sequence/);
    const other = migrationsCopy();
    writeFileSync(join(other, "add-things.sql"), "SELECT 1;");
    expect(() => loadMigrations(other)).toThrow(/must be named NNNN_name\.sql/);
  });
});

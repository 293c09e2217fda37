import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadMigrations, migrate } from "../../src/store/migrate.js";
import { openStore } from "../../src/store/open.js";
import { databaseV9 } from "../helpers/database-v9.js";
import { tempDir } from "../helpers/tmp.js";

const EVENTS = 20_000;
/** What migration 0010 says it needs for EVENTS events (2 × 500 bytes each, 128 MiB headroom). */
const NEEDED = 2 * EVENTS * 500 + 128 * 1024 * 1024;

const size = (path: string) => (existsSync(path) ? statSync(path).size : 0);

/**
 * Migration 0010 checks the free disk before it changes anything, and again before it moves the
 * events: what the schema's change wrote to the WAL meanwhile is given back first.
 */
describe("migration 0010: the free-disk check", () => {
  it("a disk the first check accepts is not refused by the second once the schema has changed", () => {
    const path = join(tempDir(), "tight.db");
    databaseV9(path, EVENTS);
    const db = openStore(path, { migrate: false });
    // A disk with a little more free than the migration says it needs: whatever the database
    // and its WAL grow by is taken from it, as on a real disk.
    const used = () => size(path) + size(`${path}-wal`);
    const before = used();
    const free = NEEDED + 256 * 1024;
    const freeBytes = () => free - (used() - before);
    migrate(db, loadMigrations(), { freeBytes, progress: () => undefined });
    const version = db.prepare("SELECT max(version) AS v FROM schema_migrations").pluck().get();
    db.close();
    // Accepted before the schema changed, never refused after it (asking to free space the
    // move does not need).
    expect(version).toBe(loadMigrations().length);
  }, 60_000); // 20,000 events through every migration: a few seconds, more on a busy machine
});

/**
 * Migration 0007 copies every event in one transaction, before 0010 moves them: an upgrade from a
 * release before it checks first that the disk can take both, and says how much it needs and how
 * much is free, rather than stopping halfway on a full disk.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmdirSync, statfsSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AppError } from "../../src/errors.js";
import { loadMigrations, migrate } from "../../src/store/migrate.js";
import { openStore } from "../../src/store/open.js";
import { closeAfterTest } from "../helpers/cleanup.js";
import { databaseV6 } from "../helpers/database-v6.js";
import { tempDir } from "../helpers/tmp.js";

const MiB = 1024 * 1024;
/** What 0007 and 0010 took beside the file, measured on 20,000 to 300,000 events: 2.78 times its size. */
const USED = 2.78;
const REFUSAL =
  /^migrations 0007 and 0010 \(rebuild, then compact the events\) need about (\d+) MB free beside the database .*; .* has (\d+) MB: free some space and start again \(nothing was changed\)$/;

/** Migrates the database at `path`; the error it threw, if any. */
function upgrade(path: string, freeBytes?: (folder: string) => number): unknown {
  const db = openStore(path, { migrate: false });
  try {
    migrate(db, loadMigrations(), { freeBytes, progress: () => undefined });
  } catch (error) {
    return error;
  } finally {
    db.close();
  }
  return undefined;
}

function schema(path: string): { version: number; events: number } {
  const db = openStore(path, { migrate: false });
  try {
    const version = db.prepare("SELECT max(version) FROM schema_migrations").pluck().get();
    const events = db.prepare("SELECT count(*) FROM events").pluck().get();
    return { version: version as number, events: events as number };
  } finally {
    db.close();
  }
}

/** A tmpfs of `bytes` (root with the right to mount only), unmounted after the test. */
function tmpfs(bytes: number): string {
  const dir = join(tempDir(), "disk");
  mkdirSync(dir);
  execFileSync("mount", [
    "-t",
    "tmpfs",
    "-o",
    `size=${Math.ceil(bytes / 4096) * 4096}`,
    "tmpfs",
    dir,
  ]);
  closeAfterTest(() => execFileSync("umount", [dir]));
  return dir;
}

function canMount(): boolean {
  if (process.platform !== "linux" || process.getuid?.() !== 0) return false;
  const dir = mkdtempSync(join(tmpdir(), "mcp-activity-mount-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", dir], { stdio: "ignore" });
    execFileSync("umount", [dir]);
    return true;
  } catch {
    return false;
  } finally {
    rmdirSync(dir);
  }
}

describe("migration 0007: the free-disk check", () => {
  it("refuses, before changing anything, a disk with less free than the copy and its WAL take", () => {
    const path = join(tempDir(), "v6.db");
    databaseV6(path, 50_000);
    const size = statSync(path).size;
    // More than 0010 alone asks for 50,000 events (2 × 500 bytes each and 128 MiB), more than
    // twice the database's size, less than the copy takes.
    const free = 250 * MiB;
    expect(free).toBeGreaterThan(2 * size);
    const error = upgrade(path, () => free);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("DISK_SPACE");
    const [, needed, has] = REFUSAL.exec((error as AppError).message) ?? [];
    expect(Number(has)).toBe(250);
    expect(Number(needed) * MiB).toBeGreaterThan(USED * size);
    expect(schema(path)).toEqual({ version: 6, events: 50_000 });
  }, 60_000);

  it("counts the pages in use, not those retention freed: a file mostly emptied asks for less", () => {
    const path = join(tempDir(), "v6.db");
    databaseV6(path, 50_000);
    const db = openStore(path, { migrate: false });
    db.prepare("DELETE FROM events WHERE rowid > 10000").run();
    db.pragma("wal_checkpoint(TRUNCATE)");
    db.close();
    // The whole file's 3 times would ask for about 300 MiB; what the 10,000 events left take, less.
    expect(upgrade(path, () => 250 * MiB)).toBeUndefined();
    expect(schema(path)).toEqual({ version: loadMigrations().length, events: 10_000 });
  }, 60_000);

  it.runIf(canMount())(
    "on a real disk: refuses one too small before changing anything, and upgrades on what it asked for",
    () => {
      const built = join(tempDir(), "v6.db");
      // About 103 MiB: the least for which the copy's 3 times the database's size, not 0010's
      // share and headroom, is what the check asks for.
      databaseV6(built, 50_000);
      const size = statSync(built).size;
      const onDisk = (free: number) => {
        const path = join(tmpfs(size + free), "mcp-activity.db");
        copyFileSync(built, path);
        const fs = statfsSync(path);
        return { path, free: Number(fs.bavail) * Number(fs.bsize) };
      };

      // 2.5 times the database's size free: the upgrade would fill it halfway through.
      const small = onDisk(2.5 * size);
      const refused = upgrade(small.path);
      const [, needed] = REFUSAL.exec(String((refused as Error | undefined)?.message)) ?? [];
      expect(Number(needed) * MiB).toBeGreaterThan(small.free);
      expect(schema(small.path)).toEqual({ version: 6, events: 50_000 });

      const enough = onDisk(Number(needed) * MiB);
      expect(upgrade(enough.path)).toBeUndefined();
      expect(schema(enough.path)).toEqual({
        version: loadMigrations().length,
        events: 50_000,
      });
    },
    180_000,
  );
});

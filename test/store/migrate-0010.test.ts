import { spawn } from "node:child_process";
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { EventStore } from "../../src/store/events.js";
import { loadMigrations, migrate, migrateUnlessStopped } from "../../src/store/migrate.js";
import { openStore } from "../../src/store/open.js";
import { collect, runCli } from "../helpers/cli.js";
import { databaseV9 } from "../helpers/database-v9.js";
import { tempDir } from "../helpers/tmp.js";

const EVENTS = 4_000;

/** Everything a reader sees of the events after the migration. */
function snapshot(path: string) {
  const db = openStore(path, { progress: () => undefined });
  const store = new EventStore(db);
  const events = [...store.iterate("org-m", 500)].flat();
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'events%'")
    .all();
  const version = db.prepare("SELECT max(version) AS v FROM schema_migrations").get();
  const result = {
    events,
    counts: store.counts("org-m"),
    newest: store.newestProcessedAt("org-m"),
    maxSeq: store.maxSeq("org-m"),
    tables,
    version,
  };
  db.close();
  return result;
}

const MIGRATE = fileURLToPath(new URL("../../dist/store/migrate.js", import.meta.url));
const OPEN = fileURLToPath(new URL("../../dist/store/open.js", import.meta.url));

/** A child process that migrates `path` in batches of 100, printing each batch. */
function migrating(path: string) {
  const script = `
    const { migrate, loadMigrations } = await import(${JSON.stringify(MIGRATE)});
    const { openStore } = await import(${JSON.stringify(OPEN)});
    const db = openStore(${JSON.stringify(path)}, { migrate: false });
    migrate(db, loadMigrations(), { batch: 100, progress: (line) => process.stdout.write(line + "\\n") });
    db.close();
  `;
  return spawn(process.execPath, ["--input-type=module", "-e", script], {
    stdio: ["ignore", "pipe", "pipe"],
  });
}

describe("migration 0010: compact events", () => {
  it("moves every event with its seq, columns and raw JSON, and the counters agree", () => {
    const path = join(tempDir(), "m.db");
    const before = databaseV9(path, EVENTS);
    const after = snapshot(path);
    expect(after.events.map(({ seq, ingestedAt, ...e }) => e)).toEqual(before);
    expect(after.events.map((e) => e.seq)).toEqual(before.map((_, i) => i + 1));
    expect(after.counts).toEqual({ events: EVENTS, mcp: before.filter((e) => e.isMcp).length });
    expect(after.newest).toBe(Math.max(...before.map((e) => e.processedAt ?? 0)));
    expect(after.maxSeq).toBe(EVENTS);
    expect(after.tables).toEqual([]);
    // 0010 and every migration after it are applied.
    expect(after.version).toEqual({ v: loadMigrations().at(-1)?.version });
  });

  it("killed with SIGKILL in the middle, started again, ends with the same result", async () => {
    const dir = tempDir();
    const reference = join(dir, "reference.db");
    const killed = join(dir, "killed.db");
    databaseV9(reference, EVENTS);
    copyFileSync(reference, killed);

    const child = migrating(killed);
    const done = collect(child);
    let lines = 0;
    await new Promise<void>((resolve) =>
      child.stdout?.on("data", (chunk: Buffer) => {
        lines += chunk
          .toString()
          .split("\n")
          .filter((l) => l.includes("moved")).length;
        if (lines >= 3) resolve();
      }),
    );
    child.kill("SIGKILL");
    const result = await done;
    expect(result.signal, "the migration ended before it could be killed").toBe("SIGKILL");
    // Part moved, part not: the old table is still there.
    const half = new Database(killed, { readonly: true });
    const left = half.prepare("SELECT count(*) AS n FROM events_v9").get() as { n: number };
    half.close();
    expect(left.n).toBeGreaterThan(0);
    expect(left.n).toBeLessThan(EVENTS);

    const again = await collect(migrating(killed));
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/migration 0010: \d+ of \d+ events moved/);
    expect(snapshot(killed)).toEqual(snapshot(reference));
  });

  it("stopped by its signal between two batches, goes on from there the next time", async () => {
    const dir = tempDir();
    const reference = join(dir, "reference.db");
    const stopped = join(dir, "stopped.db");
    databaseV9(reference, EVENTS);
    copyFileSync(reference, stopped);

    const db = openStore(stopped, { migrate: false });
    const stop = new AbortController();
    let batches = 0;
    const progress = (line: string) => {
      if (line.includes("moved") && ++batches === 3) stop.abort();
    };
    const done = await migrateUnlessStopped(db, stop.signal, loadMigrations(), {
      batch: 100,
      progress,
    });
    const left = db.prepare("SELECT count(*) AS n FROM events_v9").get();
    db.close();
    expect(done).toBe(false);
    expect(batches).toBe(3); // no batch after the stop
    expect(left).toEqual({ n: EVENTS - 300 });

    // `mcp-activity migrate` goes on, and says it finished the move.
    const cli = await runCli(["migrate"], { DATABASE_PATH: stopped });
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toContain(
      `${stopped}: finished moving the events to the compact schema (migration 0010); schema is up to date`,
    );
    expect(snapshot(stopped)).toEqual(snapshot(reference));
  });

  it("sizes each transaction to take about its time at the pace of the one before, and moves every event", async () => {
    const dir = tempDir();
    const reference = join(dir, "reference.db");
    const timed = join(dir, "timed.db");
    databaseV9(reference, EVENTS);
    copyFileSync(reference, timed);

    const db = openStore(timed, { migrate: false });
    // A slow disk: 2 events moved a millisecond. The first transaction (1,000 events) takes
    // 500 ms, so the next one moves 500, in 250 ms; the stop asked during it is seen after it.
    const moved = db.prepare("SELECT count(*) FROM events").pluck();
    const stop = new AbortController();
    const lines: string[] = [];
    const left = () => (db.prepare("SELECT count(*) AS n FROM events_v9").get() as { n: number }).n;
    const done = await migrateUnlessStopped(db, stop.signal, loadMigrations(), {
      batchMs: 250,
      now: () => {
        const n = moved.get() as number;
        if (n > 1_000) stop.abort();
        return n / 2;
      },
      progress: (line) => {
        if (line.includes("moved")) lines.push(line);
      },
    });
    expect(done).toBe(false);
    expect(left()).toBe(EVENTS - 1_500);
    expect(lines).toEqual([expect.stringMatching(/^migration 0010: 1000 of 4000 events moved/)]);
    db.close();

    const cli = await runCli(["migrate"], { DATABASE_PATH: timed });
    expect(cli.code, cli.stderr).toBe(0);
    expect(snapshot(timed)).toEqual(snapshot(reference));
  });

  it("packs the raw JSON of several organizations into full blocks, one insert a transaction", () => {
    const path = join(tempDir(), "orgs.db");
    const orgs = 8;
    const count = 20_000;
    databaseV9(path, count, orgs);
    const db = openStore(path, { migrate: false });
    // A clock that never moves: every transaction after the first is as large as allowed.
    migrate(db, loadMigrations(), { now: () => 0 });
    const blocks = db.prepare("SELECT count(*) AS n FROM raw_blocks").pluck().get() as number;
    const stored = db.prepare("SELECT count(*) AS n FROM events").pluck().get() as number;
    db.close();
    expect(stored).toBe(count);
    // Each organization's events of a transaction fill blocks of 128 and leave at most one part
    // full: three transactions (1,000 events, then 10,000 and 9,000).
    expect(blocks).toBeLessThanOrEqual(Math.ceil(count / 128) + 3 * orgs);
  });

  it("checks the free disk first, says how much it needs, and changes nothing without it", () => {
    const path = join(tempDir(), "full.db");
    databaseV9(path, EVENTS);
    const db = openStore(path, { migrate: false });
    expect(() => migrate(db, loadMigrations(), { freeBytes: () => 50 * 1024 * 1024 })).toThrow(
      /migration 0010 \(compact events\) needs about \d+ MB free .* has 50 MB/,
    );
    const version = db.prepare("SELECT max(version) AS v FROM schema_migrations").get();
    const events = db.prepare("SELECT count(*) AS n FROM events").get();
    db.close();
    expect(version).toEqual({ v: 9 });
    expect(events).toEqual({ n: EVENTS });
  });

  it("says at start that it moves the stored events only when there are some to move", async () => {
    const said = async (db: Database.Database) => {
      const lines: string[] = [];
      await migrateUnlessStopped(db, new AbortController().signal, loadMigrations(), {
        progress: (line) => lines.push(line),
      });
      db.close();
      return lines[0];
    };
    const all = loadMigrations();
    const names = (from: number) =>
      all
        .slice(from)
        .map((m) => m.file)
        .join(", ");
    // A first start: nothing stored, nothing moved; said as `migrate` says it.
    const fresh = openStore(join(tempDir(), "fresh.db"), { migrate: false });
    expect(await said(fresh)).toBe(`applied ${all.length} migration(s): ${names(0)}`);
    // Release 0009 with no event stored yet: nothing to move either.
    const empty = new Database(join(tempDir(), "empty-v9.db"));
    migrate(empty, all.slice(0, 9));
    expect(await said(empty)).toBe(`applied ${all.length - 9} migration(s): ${names(9)}`);
    // Release 0009 with events: the move comes next, and is said so.
    const stored = join(tempDir(), "stored-v9.db");
    databaseV9(stored, 100);
    expect(await said(openStore(stored, { migrate: false }))).toBe(
      `applied the schema of ${all.length - 9} migration(s): ${names(9)}; migration 0010 now moves the stored events`,
    );
  });

  it("needs no free space for a database with no event to move, new or not", () => {
    const full = { freeBytes: () => 0 };
    const fresh = openStore(join(tempDir(), "fresh.db"), { migrate: false });
    migrate(fresh, loadMigrations(), full);
    const tables = fresh
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'events%'")
      .pluck()
      .all();
    fresh.close();
    expect(tables).not.toContain("events_v9");
    const empty = new Database(join(tempDir(), "empty-v9.db"));
    migrate(empty, loadMigrations().slice(0, 9)); // release 0009, no event stored yet
    migrate(empty, loadMigrations(), full);
    const version = empty.prepare("SELECT max(version) AS v FROM schema_migrations").get();
    empty.close();
    expect(version).toEqual({ v: loadMigrations().length });
  });
});

import { existsSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { type CheckpointPass, startCheckpointer } from "../../src/store/checkpointer.js";
import { identityAt } from "../../src/store/file-identity.js";
import { openStore } from "../../src/store/open.js";
import { capturedLogger } from "../helpers/logs.js";
import { tempDir } from "../helpers/tmp.js";
import { until } from "../helpers/until.js";

const autocheckpoint = (db: ReturnType<typeof openStore>) =>
  db.pragma("wal_autocheckpoint", { simple: true });

function fill(db: ReturnType<typeof openStore>, rows: number): void {
  db.exec("CREATE TABLE IF NOT EXISTS filler (n INTEGER, text TEXT)");
  const insert = db.prepare("INSERT INTO filler VALUES (?, ?)");
  for (let i = 0; i < rows; i++) db.transaction(() => insert.run(i, "x".repeat(4000)))();
}

/** A backup put where the bot's file was, as `install -m 600 backup.db "$DATABASE_PATH"` does. */
function restoreOver(path: string): void {
  const backup = new Database(`${path}.restored`);
  backup.exec("CREATE TABLE restored (x)");
  backup.close();
  renameSync(`${path}.restored`, path);
}

/** The tables of the file at `path`, read as a restarted bot would, with no log beside it. */
function tablesWithoutLog(path: string): string[] {
  for (const suffix of ["-wal", "-shm"]) rmSync(`${path}${suffix}`, { force: true });
  const db = new Database(path, { readonly: true });
  try {
    return db
      .prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table'")
      .pluck()
      .all();
  } finally {
    db.close();
  }
}

describe("checkpointer", () => {
  it("takes the checkpoints off the bot's connection, and gives them back when stopped", async () => {
    const db = openStore(join(tempDir(), "checkpoint.db"));
    const passes: CheckpointPass[] = [];
    const logs = capturedLogger();
    const checkpointer = startCheckpointer(db, {
      logger: logs.logger,
      everyMs: 20,
      onPass: (pass) => passes.push(pass),
    });
    await until(() => autocheckpoint(db) === 0, "the bot's connection stops checkpointing");
    fill(db, 300); // ~1.2 MB of log, which the connection no longer checkpoints itself
    await until(
      () => passes.some((p) => p.log >= 300 && p.checkpointed === p.log),
      "a pass copies the whole log into the database file",
    );
    await checkpointer.stop();
    expect(autocheckpoint(db)).toBe(8192);
    expect(logs.text()).not.toContain("stopped");
    db.close();
  });

  it("empties the log when asked, not while another connection reads", async () => {
    const db = openStore(join(tempDir(), "checkpoint.db"));
    const checkpointer = startCheckpointer(db, { logger: capturedLogger().logger });
    await until(() => autocheckpoint(db) === 0, "the thread runs");
    fill(db, 100);
    const reader = openStore(db.name);
    reader.prepare("BEGIN").run();
    reader.prepare("SELECT count(*) FROM filler").get();
    expect(await checkpointer.emptyLog()).toBe(false);
    expect(statSync(`${db.name}-wal`).size).toBeGreaterThan(0);
    reader.prepare("COMMIT").run();
    reader.close();
    expect(await checkpointer.emptyLog()).toBe(true);
    expect(statSync(`${db.name}-wal`).size).toBe(0);
    await checkpointer.stop();
    db.close();
  });

  it("says so when its thread fails, and the connection checkpoints on its own again", async () => {
    const db = openStore(join(tempDir(), "checkpoint.db"));
    const logs = capturedLogger();
    const checkpointer = startCheckpointer(db, {
      logger: logs.logger,
      driver: join(tempDir(), "no-such-driver.js"),
    });
    await until(
      () => logs.text().includes("the checkpoint thread stopped"),
      "the failure is logged",
    );
    expect(autocheckpoint(db)).toBe(8192);
    expect(logs.text()).toContain("the bot checkpoints on its own thread");
    fill(db, 10);
    expect(await checkpointer.emptyLog()).toBe(true); // on the connection, then
    expect(statSync(`${db.name}-wal`).size).toBe(0);
    await checkpointer.stop();
    db.close();
  });

  it("says once that checkpoints fail (a full disk), keeps trying, and says when they work again", async () => {
    const db = openStore(join(tempDir(), "checkpoint.db"));
    // The real driver, whose first three checkpoints fail as on a full disk.
    const driver = join(tempDir(), "full-disk-driver.cjs");
    const real = createRequire(import.meta.url).resolve("better-sqlite3");
    writeFileSync(
      driver,
      `const Database = require(${JSON.stringify(real)});
       let failures = 3;
       module.exports = class extends Database {
         pragma(source, options) {
           if (source.startsWith("wal_checkpoint") && failures-- > 0)
             throw Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" });
           return super.pragma(source, options);
         }
       };`,
    );
    const passes: CheckpointPass[] = [];
    const logs = capturedLogger("debug");
    const checkpointer = startCheckpointer(db, {
      logger: logs.logger,
      everyMs: 20,
      driver,
      onPass: (pass) => passes.push(pass),
    });
    await until(() => passes.length > 0, "a checkpoint after the failures");
    const said = logs.lines().map((l) => l.msg);
    expect(said.filter((m) => String(m).startsWith("a checkpoint failed"))).toEqual([
      "a checkpoint failed (database or disk is full): tried again every 0.02 s; the write-ahead log grows until one succeeds",
    ]);
    expect(said).toContain("checkpoints work again");
    expect(autocheckpoint(db)).toBe(0); // still the thread's work
    await checkpointer.stop();
    expect(logs.text()).not.toContain("the checkpoint thread stopped");
    db.close();
  });

  it("holds the bot's log once ready: a file restored over the path gets no -wal or -shm from it", async () => {
    const path = join(tempDir(), "checkpoint.db");
    const db = openStore(path);
    fill(db, 10);
    const checkpointer = startCheckpointer(db, {
      logger: capturedLogger().logger,
      everyMs: 60_000,
      file: identityAt(path),
    });
    await checkpointer.ready;
    expect(autocheckpoint(db)).toBe(0); // the thread runs
    restoreOver(path);
    // What the bot's watch does once it sees the file replaced: the old log is not to be replayed.
    for (const suffix of ["-wal", "-shm"]) rmSync(`${path}${suffix}`);
    await checkpointer.stop(); // a last checkpoint, on the log it holds
    expect(existsSync(`${path}-wal`)).toBe(false);
    expect(existsSync(`${path}-shm`)).toBe(false);
    db.close();
    expect(tablesWithoutLog(path)).toEqual(["restored"]);
  });

  it("reads no file restored over the path before its thread opened it, and copies no log into it", async () => {
    const path = join(tempDir(), "checkpoint.db");
    const db = openStore(path);
    fill(db, 50); // in the log, beside the file, until a checkpoint copies it
    const opened = identityAt(path);
    restoreOver(path);
    const logs = capturedLogger();
    const checkpointer = startCheckpointer(db, { logger: logs.logger, everyMs: 20, file: opened });
    await checkpointer.ready;
    await checkpointer.stop();
    db.close();
    expect(tablesWithoutLog(path)).toEqual(["restored"]);
    // Said once, not again at the thread's exit that follows.
    expect(
      logs.lines().filter((l) => String(l.msg).startsWith("the checkpoint thread stopped")),
    ).toEqual([
      expect.objectContaining({
        msg: "the checkpoint thread stopped (the file at DATABASE_PATH is no longer the one the bot opened): the bot checkpoints on its own thread",
      }),
    ]);
  });

  it("keeps the log of a writer that waits on it small: each write starts it again", async () => {
    const db = openStore(join(tempDir(), "checkpoint.db"));
    db.exec("CREATE TABLE filler (n INTEGER, text TEXT)");
    const insert = db.prepare("INSERT INTO filler VALUES (?, ?)");
    // No pass of its own: only those a writer asks for.
    const checkpointer = startCheckpointer(db, {
      logger: capturedLogger().logger,
      everyMs: 60_000,
      keepUpMs: 0,
    });
    await checkpointer.ready;
    /** The largest the -wal grew to while 200 writes of ~100 kB each were made. */
    const largestLog = async (waitOnIt: boolean): Promise<number> => {
      let largest = 0;
      for (let i = 0; i < 200; i++) {
        db.transaction(() => {
          for (let row = 0; row < 25; row++) insert.run(i, "x".repeat(4000));
        })();
        largest = Math.max(largest, statSync(`${db.name}-wal`).size);
        if (waitOnIt) await checkpointer.keepUp();
      }
      db.exec("DELETE FROM filler");
      return largest;
    };
    expect(await largestLog(true)).toBeLessThan(1024 * 1024);
    await checkpointer.keepUp(); // the DELETE copied, the log starts again
    // What it spares: the same writes grow the log to the ~20 MB they are.
    expect(await largestLog(false)).toBeGreaterThan(15 * 1024 * 1024);
    await checkpointer.stop();
    db.close();
  });

  it("empties the log without failing a write of the bot: a transaction that reads before it writes", async () => {
    const db = openStore(join(tempDir(), "checkpoint.db"));
    db.exec("CREATE TABLE counter (n INTEGER)");
    db.exec("INSERT INTO counter VALUES (0)");
    const passes: CheckpointPass[] = [];
    // No pass of its own: only the one emptying the log asks for.
    const checkpointer = startCheckpointer(db, {
      logger: capturedLogger().logger,
      everyMs: 60_000,
      onPass: (pass) => passes.push(pass),
    });
    await checkpointer.ready;
    fill(db, 25_000); // ~300 MiB of log no pass has copied yet
    const read = db.prepare("SELECT n FROM counter");
    const write = db.prepare("UPDATE counter SET n = n + 1");
    // The bot's work goes on while the log is emptied: a write that finds the lock of a
    // truncating checkpoint after it read is refused at once (SQLITE_BUSY), its wait not allowed.
    let emptied: boolean | undefined;
    const emptying = checkpointer.emptyLog().then((done) => {
      emptied = done;
    });
    const failures: string[] = [];
    let writes = 0;
    while (emptied === undefined) {
      try {
        db.transaction(() => {
          read.get();
          write.run();
        })();
        writes++;
      } catch (error) {
        failures.push(String(error));
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    await emptying;
    expect(failures.slice(0, 3)).toEqual([]);
    // The thread copied the whole log first, while the bot went on writing: the bot's connection
    // only truncated it (copying 300 MiB itself would hold its event loop for seconds).
    expect(passes).toEqual([
      expect.objectContaining({ checkpointed: expect.any(Number), log: expect.any(Number) }),
    ]);
    // All but the frames of the writes made while it copied (three frames a row filled).
    expect(passes[0]?.checkpointed).toBeGreaterThan(3 * 25_000);
    expect(writes).toBeGreaterThan(10);
    expect(emptied).toBe(true);
    expect(statSync(`${db.name}-wal`).size).toBe(0);
    await checkpointer.stop();
    db.close();
  });
});

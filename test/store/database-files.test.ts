import { existsSync, mkdirSync, symlinkSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { databaseFiles } from "../../src/store/database-files.js";
import { tempDir } from "../helpers/tmp.js";

const noLock = { release: () => undefined, problem: () => null };

describe("the database's files, checked while the bot runs", () => {
  it("a link pointed at another file is a problem, but the first file's log is left whole", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "disk1"));
    mkdirSync(join(dir, "disk2"));
    const first = join(dir, "disk1", "mcp.db");
    const second = join(dir, "disk2", "mcp.db");
    const link = join(dir, "mcp.db");
    symlinkSync(first, link);
    const db = new Database(link);
    db.pragma("journal_mode = WAL");
    db.exec("CREATE TABLE t (x); INSERT INTO t VALUES (1)");
    new Database(second).close();
    const files = databaseFiles(link, noLock);
    expect(files.problem()).toBeNull();
    unlinkSync(link);
    symlinkSync(second, link); // ln -sfn /disk2/mcp.db mcp.db while it runs
    expect(files.problem()).toMatch(/was deleted or replaced while the bot ran/);
    // The first database is still there, its write-ahead log holding what it has not checkpointed.
    expect(files.dropJournal()).toEqual([]);
    expect(existsSync(`${first}-wal`)).toBe(true);
    db.close();
  });
});

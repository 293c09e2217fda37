import { spawn } from "node:child_process";
import { copyFileSync, existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { EventStore } from "../../src/store/events.js";
import { openStore } from "../../src/store/open.js";
import { mcpEvent } from "../detect/fixtures.js";
import { CLI, childEnv, collect, runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";

const STOP_AT_RENAME = fileURLToPath(
  new URL("../fixtures/backup/stop-at-rename.mjs", import.meta.url),
);

/** Adds events `from`..`to` to the database at `path` (made when missing). */
function addEvents(path: string, from: number, to: number): void {
  const db = openStore(path);
  const events = new EventStore(db);
  for (let n = from; n <= to; n++)
    events.insertMany([mcpEvent({ orgId: "org-b", id: `e-${n}`, time: n })], n);
  db.close();
}

function events(path: string): { check: unknown; events: number } {
  const copy = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return {
      check: copy.pragma("integrity_check", { simple: true }),
      events: (copy.prepare("SELECT count(*) AS n FROM events").get() as { n: number }).n,
    };
  } finally {
    copy.close();
  }
}

function tables(path: string): string[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
      .pluck()
      .all() as string[];
  } finally {
    db.close();
  }
}

/** `backup FILE --force`, stopped as it renames its copy to FILE (`kill` or `fail`). */
function stoppedBackup(database: string, target: string, how: "kill" | "fail") {
  const child = spawn(
    process.execPath,
    ["--import", pathToFileURL(STOP_AT_RENAME).href, CLI, "backup", target, "--force"],
    { env: childEnv({ DATABASE_PATH: database, STOP_AT_RENAME: how }) },
  );
  return collect(child);
}

describe("backup --force over the previous backup", () => {
  it("keeps the previous backup until the new copy takes its name: a kill before leaves it whole", async () => {
    const folder = tempDir();
    const live = join(tempDir(), "live.db");
    const target = join(folder, "nightly.db");
    addEvents(live, 1, 5);
    expect((await runCli(["backup", target], { DATABASE_PATH: live })).code).toBe(0);
    addEvents(live, 6, 9);

    const killed = await stoppedBackup(live, target, "kill");
    expect(killed.signal, killed.stderr).toBe("SIGKILL");
    expect(existsSync(target), "the previous backup was deleted before the rename").toBe(true);
    expect(events(target)).toEqual({ check: "ok", events: 5 });
  });

  it("says a rename that failed in one line, keeps the previous backup and removes the copy", async () => {
    const folder = tempDir();
    const live = join(tempDir(), "live.db");
    const target = join(folder, "nightly.db");
    addEvents(live, 1, 5);
    expect((await runCli(["backup", target], { DATABASE_PATH: live })).code).toBe(0);

    const failed = await stoppedBackup(live, target, "fail");
    expect(failed.code).toBe(1);
    expect(failed.stderr).toBe(
      `mcp-activity backup: the copy for ${target} could not be given its name (renamed from ${target}.partial), so it was not kept: ENOENT: no such file or directory, rename '${target}.partial' -> '${target}'\n`,
    );
    expect(readdirSync(folder)).toEqual(["nightly.db"]);
    expect(events(target)).toEqual({ check: "ok", events: 5 });
  });

  it("removes the previous backup's own WAL, which would otherwise be read into the new copy", async () => {
    const folder = tempDir();
    const live = join(tempDir(), "live.db");
    const target = join(folder, "nightly.db");
    addEvents(live, 1, 5);
    expect((await runCli(["backup", target], { DATABASE_PATH: live })).code).toBe(0);
    // Someone wrote to the previous backup and its WAL was never checkpointed into it.
    const old = new Database(target);
    old.pragma("wal_autocheckpoint = 0");
    old.exec("CREATE TABLE scratch (x); INSERT INTO scratch VALUES (1)");
    copyFileSync(`${target}-wal`, join(folder, "kept-wal"));
    old.close(); // checkpoints and removes the WAL: put it back
    copyFileSync(join(folder, "kept-wal"), `${target}-wal`);
    expect(tables(target)).toContain("scratch");
    copyFileSync(join(folder, "kept-wal"), `${target}-wal`);

    const forced = await runCli(["backup", target, "--force"], { DATABASE_PATH: live });
    expect(forced.code, forced.stderr).toBe(0);
    expect(existsSync(`${target}-wal`)).toBe(false);
    expect(events(target)).toEqual({ check: "ok", events: 5 });
    expect(tables(target)).not.toContain("scratch");
  });
});

import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { backupDatabase } from "../../src/store/backup.js";
import type { Db } from "../../src/store/db.js";
import { EventStore } from "../../src/store/events.js";
import { openStore } from "../../src/store/open.js";
import { mcpEvent } from "../detect/fixtures.js";
import { CLI, childEnv, collect, runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";

// Random, so that compression keeps each event about 3 KB.
const PADDING = randomBytes(3000).toString("base64");

/** Adds one event and, in the same transaction, counts it in poll_state: a copy taken in the middle of a transaction would disagree. */
function writer(db: Db) {
  const events = new EventStore(db);
  const count = db.prepare(
    `INSERT INTO poll_state (org_id, last_processed_at, updated_at) VALUES ('org-b', 1, 0)
     ON CONFLICT (org_id) DO UPDATE SET last_processed_at = last_processed_at + 1`,
  );
  let n = 0;
  return db.transaction((rows: number) => {
    for (let i = 0; i < rows; i++) {
      n++;
      const id = `e-${n}`;
      events.insertMany(
        [mcpEvent({ orgId: "org-b", id, time: n, raw: `{"id":"${id}","pad":"${PADDING}${n}"}` })],
        n,
      );
      count.run();
    }
  });
}

function seeded(rows: number): { path: string; db: Db; write: (rows: number) => void } {
  const path = join(tempDir(), "live.db");
  const db = openStore(path);
  const write = writer(db);
  write(rows);
  return { path, db, write };
}

function contents(path: string) {
  const copy = new Database(path, { readonly: true });
  try {
    return {
      check: copy.pragma("integrity_check", { simple: true }),
      events: (copy.prepare("SELECT count(*) AS n FROM events").get() as { n: number }).n,
      counted: (
        copy.prepare("SELECT last_processed_at AS n FROM poll_state").get() as { n: number }
      ).n,
    };
  } finally {
    copy.close();
  }
}

describe("mcp-activity backup", () => {
  it("copies a database that another connection is writing to: consistent, checked, owner-only", async () => {
    const live = seeded(8000); // ~35 MiB: several steps of the copy
    const target = join(tempDir(), "copy.db");
    const child = spawn(process.execPath, [CLI, "backup", target], {
      env: childEnv({ DATABASE_PATH: live.path }),
    });
    const done = collect(child);
    let running = true;
    void done.then(() => {
      running = false;
    });
    let writes = 0;
    while (running) {
      live.write(5);
      writes++;
      await delay(5); // a busy bot, not a flood: the copy must finish either way
    }
    const result = await done;
    live.db.close();

    expect(result.stderr).toMatch(/^backup: \d+% \(\d+ of \d+ pages\)$/m);
    // Its last line says the copy is whole.
    const lines = result.stderr.trim().split("\n");
    expect(lines.at(-1)).toMatch(/^backup: 100% \((\d+) of \1 pages\)$/);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(
        `^backed up .*live\\.db to ${target} \\(owner-only, 0600\\): [\\d.]+ MiB, \\d+ events, 0 alerts, schema version \\d+; integrity_check: ok$`,
        "m",
      ),
    );
    expect(statSync(target).mode & 0o777).toBe(0o600);
    const copy = contents(target);
    expect(copy.check).toBe("ok");
    expect(copy.events).toBeGreaterThanOrEqual(8000);
    expect(copy.counted).toBe(copy.events); // one snapshot, never half a transaction
    expect(result.stdout).toContain(`${copy.events} events`);
    expect(writes).toBeGreaterThan(0);
  }, 60_000);

  it("stopped halfway, leaves no file under the backup's name, and the next one succeeds", async () => {
    const live = seeded(8000); // several steps of the copy
    live.db.close();
    const target = join(tempDir(), "copy.db");
    const child = spawn(process.execPath, [CLI, "backup", target], {
      env: childEnv({ DATABASE_PATH: live.path }),
    });
    const done = collect(child);
    await new Promise<void>((resolve) =>
      child.stderr?.on("data", (chunk: Buffer) => {
        if (chunk.toString().includes("backup: ")) resolve();
      }),
    );
    child.kill("SIGTERM");
    const stopped = await done;
    expect(stopped.signal, "the backup ended before it could be stopped").toBe("SIGTERM");
    expect(existsSync(target)).toBe(false);
    expect(existsSync(`${target}.partial`)).toBe(true); // named for what it is

    // Run beside the database with a relative DATABASE_PATH: the paths it prints are absolute.
    const again = await runCli(
      ["backup", target],
      { DATABASE_PATH: basename(live.path) },
      dirname(live.path),
    );
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(new RegExp(`^backed up ${live.path} to ${target} `));
    expect(contents(target)).toMatchObject({ check: "ok", events: 8000 });
    expect(existsSync(`${target}.partial`)).toBe(false);
    expect(existsSync(`${target}.partial-journal`)).toBe(false);
  }, 60_000);

  it("refuses to overwrite a file unless --force, and never copies over the database itself", async () => {
    const live = seeded(10);
    live.db.close();
    const target = join(tempDir(), "existing.db");
    writeFileSync(target, "keep me");

    const refused = await runCli(["backup", target], { DATABASE_PATH: live.path });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `${target} already exists: choose another file, or add --force to replace it`,
    );
    expect(readFileSync(target, "utf8")).toBe("keep me");

    const forced = await runCli(["backup", target, "--force", "--quick"], {
      DATABASE_PATH: live.path,
    });
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain("10 events");
    expect(forced.stdout).toContain("quick_check: ok");
    expect(forced.stderr).toBe(""); // a copy of one step: no progress to show
    expect(contents(target)).toMatchObject({ check: "ok", events: 10 });

    // A folder is no file to write, --force or not: said before anything is copied.
    const folder = tempDir();
    for (const args of [
      ["backup", folder],
      ["backup", folder, "--force"],
    ]) {
      const result = await runCli(args, { DATABASE_PATH: live.path });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`${folder} is a folder: give the name of a file in it`);
      expect(result.stderr).not.toContain("    at ");
    }
    expect(readdirSync(folder)).toEqual([]);
    expect(statSync(target).mode & 0o777).toBe(0o600);

    const itself = await runCli(["backup", live.path, "--force"], { DATABASE_PATH: live.path });
    expect(itself.code).toBe(1);
    expect(itself.stderr).toContain("is the database itself");
    expect(contents(live.path).events).toBe(10);
  });

  it("refuses a copy the destination's disk has no room for, saying how much it needs", async () => {
    const live = seeded(100);
    const destination = join(tempDir(), "b.db");
    try {
      await expect(
        backupDatabase(live.db, destination, { freeBytes: () => 64 * 1024 }),
      ).rejects.toThrow(
        new RegExp(
          `^the copy needs about [0-9.]+ MiB and ${dirname(destination)} has 0\\.1 MiB free: free space there or back up to another disk$`,
        ),
      );
      expect(readdirSync(dirname(destination))).toEqual([]);
    } finally {
      live.db.close();
    }
  });

  it("says that a copy the disk could not take did not fit, with its size, and leaves nothing", async () => {
    const live = seeded(1_000); // about 3 MiB
    live.db.close();
    const dir = tempDir();
    const destination = join(dir, "b.db");
    // The kernel refuses writes past 1 MiB, as a full disk does.
    const child = spawn(
      "/bin/sh",
      ["-c", `ulimit -f 1024; exec "${process.execPath}" "${CLI}" backup "${destination}"`],
      { env: childEnv({ DATABASE_PATH: live.path }) },
    );
    const result = await collect(child);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `the backup to ${destination} could not be written \\(SQLITE_(IOERR|FULL)\\w*: .+\\): the copy needs about [0-9.]+ MiB; free space in ${dir} \\(or raise the process's file size limit, ulimit -f\\) or back up to another disk`,
      ),
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it("says so when there is no database, and creates nothing", async () => {
    const dir = tempDir();
    const result = await runCli(["backup", join(dir, "copy.db")], {
      DATABASE_PATH: join(dir, "missing.db"),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `no database at ${join(dir, "missing.db")}: check DATABASE_PATH`,
    );
    expect(existsSync(join(dir, "missing.db"))).toBe(false);
    expect(existsSync(join(dir, "copy.db"))).toBe(false);
  });

  it("names FILE's folder when it is missing or no folder, and creates nothing", async () => {
    const live = seeded(10);
    live.db.close();
    const dir = tempDir();
    writeFileSync(join(dir, "notes.txt"), "");
    const missing = await runCli(["backup", join(dir, "nofolder", "x.db")], {
      DATABASE_PATH: live.path,
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      `mcp-activity backup: the folder ${join(dir, "nofolder")} does not exist: create it (mkdir -p ${join(dir, "nofolder")}) or back up to a file in another folder\n`,
    );
    const file = await runCli(["backup", join(dir, "notes.txt", "x.db")], {
      DATABASE_PATH: live.path,
    });
    expect(file.code).toBe(1);
    expect(file.stderr).toBe(
      `mcp-activity backup: ${join(dir, "notes.txt")} is a file, not a folder: back up to a file in a folder\n`,
    );
    expect(readdirSync(dir)).toEqual(["notes.txt"]);
  });

  it("has help, and needs exactly one FILE", async () => {
    const help = await runCli(["backup", "--help"], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: mcp-activity backup FILE [--force] [--quick]");
    const bare = await runCli(["backup"], {});
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain("backup takes 1 argument(s), got 0");
  });

  it("refuses - as its FILE: a backup goes to a file, not to stdout", async () => {
    const folder = tempDir();
    const path = join(folder, "db.sqlite");
    openStore(path).close();
    const result = await runCli(["backup", "-"], { DATABASE_PATH: path }, folder);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("a backup goes to a file, not to stdout");
    expect(existsSync(join(folder, "-"))).toBe(false);
  });
});

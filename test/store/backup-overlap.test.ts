import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { backupDatabase } from "../../src/store/backup.js";
import { holdBackupLock } from "../../src/store/backup-lock.js";
import { EventStore } from "../../src/store/events.js";
import { openStore } from "../../src/store/open.js";
import { mcpEvent } from "../detect/fixtures.js";
import { closeAfterTest } from "../helpers/cleanup.js";
import { collect, runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";

const LOCK_MODULE = fileURLToPath(new URL("../../dist/store/backup-lock.js", import.meta.url));

// Random, so that compression keeps each event about 3 KB.
const PADDING = randomBytes(3000).toString("base64");

/** A database of `rows` events (about 3 KB each), closed. */
function seeded(rows: number): string {
  const path = join(tempDir(), "live.db");
  const db = openStore(path);
  const events = new EventStore(db);
  db.transaction(() => {
    for (let n = 1; n <= rows; n++)
      events.insertMany(
        [mcpEvent({ orgId: "org-b", id: `e-${n}`, time: n, raw: `{"pad":"${PADDING}${n}"}` })],
        n,
      );
  })();
  db.close();
  return path;
}

function opened(path: string) {
  const db = openStore(path, { migrate: false, existing: true });
  closeAfterTest(() => db.close());
  return db;
}

function contents(path: string) {
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

describe("two backups to the same FILE at once (a cron job and a manual run)", () => {
  it("refuses the second at once, naming the first one's pid, and keeps the first one's copy", async () => {
    const live = seeded(1000); // about 3 MiB
    const folder = tempDir();
    const target = join(folder, "nightly.db");
    // The first has made its FILE.partial when the second starts: it copies into it afterwards.
    const first = backupDatabase(opened(live), target);
    expect(existsSync(`${target}.partial`)).toBe(true);
    const second = backupDatabase(opened(live), target);

    await expect(second).rejects.toThrow(
      `another backup to ${target} is running (pid ${process.pid}): wait for it to end, or back up to another file`,
    );
    await expect(first).resolves.toMatchObject({ path: target, events: 1000 });
    expect(readdirSync(folder)).toEqual(["nightly.db"]);
    expect(contents(target)).toEqual({ check: "ok", events: 1000 });
  });

  it("from the command line: exits 1 without touching the running one's files", async () => {
    const live = seeded(10);
    const folder = tempDir();
    const target = join(folder, "nightly.db");
    const release = holdBackupLock(target);
    closeAfterTest(release);
    writeFileSync(`${target}.partial`, "being written");

    const refused = await runCli(["backup", target, "--force"], { DATABASE_PATH: live });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `mcp-activity backup: another backup to ${target} is running (pid ${process.pid}): wait for it to end, or back up to another file\n`,
    );
    expect(readFileSync(`${target}.partial`, "utf8")).toBe("being written");
    expect(existsSync(target)).toBe(false);

    release();
    const after = await runCli(["backup", target], { DATABASE_PATH: live });
    expect(after.code, after.stderr).toBe(0);
    expect(readdirSync(folder)).toEqual([basename(target)]);
    expect(contents(target)).toEqual({ check: "ok", events: 10 });
  });

  it("takes over the lock file of a backup that was killed, and removes its leftovers", async () => {
    const live = seeded(10);
    const folder = tempDir();
    const target = join(folder, "nightly.db");
    // A backup killed with SIGKILL: the system let its lock go, its files stay.
    const holder = spawn(process.execPath, [
      "--input-type=module",
      "-e",
      `import { holdBackupLock } from ${JSON.stringify(pathToFileURL(LOCK_MODULE).href)};
       holdBackupLock(${JSON.stringify(target)}); console.log("held"); setInterval(() => {}, 1000);`,
    ]);
    closeAfterTest(() => holder.kill("SIGKILL"));
    const killed = collect(holder);
    await new Promise((resolve) => holder.stdout.once("data", resolve));
    writeFileSync(`${target}.partial`, "half a copy");
    holder.kill("SIGKILL");
    expect((await killed).signal).toBe("SIGKILL");
    expect(readdirSync(folder).sort()).toEqual([
      "nightly.db.lock",
      "nightly.db.lock-journal",
      "nightly.db.partial",
    ]);

    const result = await runCli(["backup", target], { DATABASE_PATH: live });
    expect(result.code, result.stderr).toBe(0);
    expect(readdirSync(folder)).toEqual(["nightly.db"]);
    expect(contents(target)).toEqual({ check: "ok", events: 10 });
  });
});

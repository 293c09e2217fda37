/**
 * A database this release cannot run on (a newer release migrated it, or its applied migrations
 * differ from this release's) is refused with exit code 2, as a bad configuration: only another
 * release or a backup fixes it, so the example unit (RestartPreventExitStatus=2) does not restart
 * into it every 10 seconds. The built CLI on a real file.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { loadMigrations, migrate } from "../../src/store/migrate.js";
import { BOT_ENV, runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";

function database(change: string): string {
  const path = join(tempDir(), "s.db");
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  migrate(db, loadMigrations());
  db.exec(change);
  db.close();
  return path;
}

describe("a database this release cannot run on", () => {
  const unit = readFileSync(new URL("../../deploy/mcp-activity.service", import.meta.url), "utf8");

  it.each([
    [
      "migrated by a newer release",
      "INSERT INTO schema_migrations VALUES (999, 'later', 'x', '2027-01-01T00:00:00.000Z')",
      "this mcp-activity knows only up to",
    ],
    [
      "migrated with a migration file edited since",
      "UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1",
      "0001_init.sql was changed after it was applied",
    ],
  ])("%s: start and migrate exit 2, which the unit does not restart", async (_, change, says) => {
    expect(unit).toMatch(/^RestartPreventExitStatus=2$/m);
    const path = database(change);
    for (const args of [["start"], ["migrate"]]) {
      const refused = await runCli(args, { ...BOT_ENV, DATABASE_PATH: path });
      expect(refused.stderr).toContain(says);
      expect(refused.code, refused.stderr).toBe(2);
    }
  });
});

/**
 * `migrate`, the first step of an upgrade with Docker or of a large store, checks RULES_FILE as
 * `start` does before it applies anything, as does each command that upgrades a database it
 * reads: a file this release refuses (one an earlier release took) leaves the database as that
 * release can still run it. The built CLI on a real file.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { BOT_ENV, runCli } from "../helpers/cli.js";
import { databaseV9 } from "../helpers/database-v9.js";
import { tempDir } from "../helpers/tmp.js";

const version = (path: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare("SELECT max(version) FROM schema_migrations").pluck().get();
  } finally {
    db.close();
  }
};

describe("migrate with a RULES_FILE", () => {
  it.each([
    ["query", ["query", "since:1d"]],
    ["export", ["export"]],
    ["digest", ["digest", "--dry-run"]],
    ["tools", ["tools"]],
  ])(
    "%s, which upgrades a database it reads, refuses one as migrate does",
    async (_name, argv) => {
      const path = join(tempDir(), "old.db");
      databaseV9(path, 10);
      const rules = join(tempDir(), "rules.yml");
      writeFileSync(rules, "groupingWindowMinutes: 2880\n");
      const env = { DATABASE_PATH: path, RULES_FILE: rules, ATLASSIAN_ORG_ID: "org-1" };
      const refused = await runCli(argv, env);
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stderr).toContain("RULES_FILE");
      expect(refused.stderr).toContain("groupingWindowMinutes");
      expect(version(path)).toBe(9);
    },
    30_000,
  );

  it("refuses one this release refuses as start does, before any upgrade; upgrades once it is fixed", async () => {
    const path = join(tempDir(), "old.db");
    databaseV9(path, 10);
    const rules = join(tempDir(), "rules.yml");
    // Taken by releases before the limit of a day.
    writeFileSync(rules, "groupingWindowMinutes: 2880\n");
    const refused = await runCli(["migrate"], { DATABASE_PATH: path, RULES_FILE: rules });
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain("groupingWindowMinutes");
    expect(version(path)).toBe(9);
    // Word for word what start says of it.
    const start = await runCli(["start"], { ...BOT_ENV, DATABASE_PATH: path, RULES_FILE: rules });
    expect(start.code).toBe(2);
    expect(refused.stderr).toBe(start.stderr);
    expect(version(path)).toBe(9);

    writeFileSync(rules, "groupingWindowMinutes: 1440\n");
    const ran = await runCli(["migrate"], { DATABASE_PATH: path, RULES_FILE: rules });
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toContain("applied");
  }, 30_000);
});

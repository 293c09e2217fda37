import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BOT_ENV, runCli } from "./helpers/cli.js";
import { tempDir } from "./helpers/tmp.js";

/**
 * DATABASE_PATH given the folder the database should live in (`/data`, the Docker volume, or the
 * service's state folder), not the file in it: a configuration error (exit 2, which a service
 * manager does not restart into), said before anything is made in or beside the folder.
 */
describe("DATABASE_PATH naming a folder", () => {
  const commands = [
    ["start"],
    ["poll", "--once"],
    ["migrate"],
    ["query", "last 1h"],
    ["backup", join(tempDir(), "copy.db")],
  ];
  for (const args of commands) {
    it(`${args[0]} says the path is a folder and the file to name, exit 2`, async () => {
      const parent = tempDir();
      const folder = join(parent, "data");
      mkdirSync(folder);
      const result = await runCli(args, { ...BOT_ENV, DATABASE_PATH: folder });
      expect(result.stderr).toContain(
        `DATABASE_PATH ${folder} is a folder: name the file in it, such as ${join(folder, "mcp-activity.db")}`,
      );
      expect(result.stderr).not.toMatch(/hard links/);
      expect(result.code).toBe(2);
      expect(readdirSync(parent)).toEqual(["data"]);
      expect(readdirSync(folder)).toEqual([]);
    }, 30_000);
  }

  // Written as a folder, with a final slash, before the folder is made.
  for (const args of [["start"], ["migrate"]]) {
    it(`${args[0]} says a path ending in / is a folder, before it exists, exit 2`, async () => {
      const parent = tempDir();
      const folder = `${join(parent, "state")}/`;
      const result = await runCli(args, { ...BOT_ENV, DATABASE_PATH: folder });
      expect(result.stderr).toContain(
        `DATABASE_PATH ${folder} is a folder: name the file in it, such as ${join(folder, "mcp-activity.db")}`,
      );
      expect(result.stderr).not.toMatch(/EISDIR|permissions/);
      expect(result.code).toBe(2);
      expect(readdirSync(parent)).toEqual([]);
    }, 30_000);
  }
});

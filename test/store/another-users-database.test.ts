/**
 * The database of another user (the bot's), run as the unprivileged user `nobody`: a file it
 * cannot read, and a lock file or folder it cannot write, are named with this user's uid and as
 * whom to run. The built CLI; root only (as readonly-side-files.test.ts).
 */
import { spawnSync } from "node:child_process";
import { chmodSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, childEnv } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";

const NOBODY = 65534;
const AS_NOBODY = ["--reuid=nobody", "--regid=nogroup", "--clear-groups"];
const asRoot = process.getuid?.() === 0 && spawnSync("setpriv", ["--version"]).status === 0;

/** The bot's database (root's), in a folder anyone may enter. */
function botsDatabase(): string {
  const dir = tempDir();
  chmodSync(dir, 0o755);
  const db = join(dir, "mcp-activity.db");
  const made = spawnSync(process.execPath, [CLI, "migrate"], {
    env: childEnv({ DATABASE_PATH: db }),
  });
  expect(made.status, made.stderr.toString()).toBe(0);
  return db;
}

function asNobody(args: string[], db: string) {
  const r = spawnSync("setpriv", [...AS_NOBODY, process.execPath, CLI, ...args], {
    env: childEnv({
      DATABASE_PATH: db,
      ATLASSIAN_ORG_ID: "org-1",
      ATLASSIAN_API_KEY: "k",
      ATLASSIAN_API_BASE_URL: "http://127.0.0.1:9",
    }),
    encoding: "utf8",
  });
  return { code: r.status, stderr: r.stderr.trim() };
}

describe("another user's database", () => {
  it.runIf(asRoot)("a file this user cannot read is said so, not as unwritable", () => {
    const db = botsDatabase();
    chmodSync(db, 0o600);
    expect(asNobody(["tools"], db)).toEqual({
      code: 1,
      stderr: `mcp-activity tools: cannot open the database at ${db}: it cannot be read by this user (uid ${NOBODY}): run this as the user the bot runs as (its owner, uid 0)`,
    });
  });

  it.runIf(asRoot)("poll --once names the lock file, then the folder, it cannot write", () => {
    const db = botsDatabase();
    chmodSync(db, 0o666);
    expect(asNobody(["poll", "--once"], db)).toEqual({
      code: 1,
      stderr: `mcp-activity poll: cannot open the database at ${db}: ${db}.lock is not writable by this user (uid ${NOBODY}): run this as the user the bot runs as (its owner, uid 0), or make it writable by this user`,
    });
    rmSync(`${db}.lock`);
    expect(asNobody(["poll", "--once"], db)).toEqual({
      code: 1,
      stderr: `mcp-activity poll: cannot open the database at ${db}: ${dirname(db)} is not writable by this user (uid ${NOBODY}): run this as the user the bot runs as (its owner, uid 0), or make it writable by this user`,
    });
  });
});

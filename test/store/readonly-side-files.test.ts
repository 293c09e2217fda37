/**
 * A database file found read-only at a start is refused before SQLite opens it: opened, SQLite
 * would make a `-shm` of the file's mode beside it, which would stop every start once the file is
 * writable again. A read-only side file (left so by an earlier release) is named.
 * The built CLI as the unprivileged user `nobody` (the service user of a real install); root only.
 */
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { startSimulator } from "../../src/simulator/index.js";
import { startFakeSlack } from "../fakes/slack-api.js";
import { closeAfterTest } from "../helpers/cleanup.js";
import { CLI, type CliResult, childEnv, collect } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";

const NOBODY = 65534;
const AS_NOBODY = ["--reuid=nobody", "--regid=nogroup", "--clear-groups"];
const asRoot = process.getuid?.() === 0 && spawnSync("setpriv", ["--version"]).status === 0;

/** `start` as nobody, stopped with SIGTERM once it listens; or its exit. */
async function startAsNobody(env: Record<string, string>): Promise<CliResult & { ran: boolean }> {
  const child = spawn("setpriv", [...AS_NOBODY, process.execPath, CLI, "start"], {
    env: childEnv(env),
  });
  closeAfterTest(() => child.exitCode === null && child.kill("SIGKILL"));
  const done = collect(child);
  let ran = false;
  let out = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    if (!ran && out.includes(" listening on port ")) {
      ran = true;
      child.kill("SIGTERM");
    }
  });
  const timer = setTimeout(() => child.kill("SIGTERM"), 30_000);
  const result = await done;
  clearTimeout(timer);
  return { ...result, ran };
}

/** Where `nobody` keeps a database: a folder of its own, in one anyone may enter. */
function nobodysDatabase(): string {
  const dir = tempDir();
  chmodSync(dir, 0o755);
  const data = join(dir, "data");
  mkdirSync(data);
  chownSync(data, NOBODY, NOBODY);
  return join(data, "mcp-activity.db");
}

describe("a database file read-only at a start, then made writable again", () => {
  it.runIf(asRoot)(
    "names the side file left read-only, and starts once it is writable",
    async () => {
      const sim = await startSimulator({
        seed: 3,
        orgId: "org-ro",
        apiKey: "ro-key",
        start: Date.now() - 3_600_000,
        intervalMs: 5_000,
      });
      closeAfterTest(() => sim.close());
      const slack = await startFakeSlack({ token: "xoxb-ro" });
      closeAfterTest(() => slack.close());
      const db = nobodysDatabase();
      const env = {
        ATLASSIAN_API_BASE_URL: sim.url,
        ATLASSIAN_ORG_ID: "org-ro",
        ATLASSIAN_API_KEY: "ro-key",
        SLACK_BOT_TOKEN: "xoxb-ro",
        SLACK_SIGNING_SECRET: "s",
        SLACK_API_URL: slack.url,
        SLACK_ALERT_CHANNEL: "C0RO",
        PORT: "0",
        DATABASE_PATH: db,
        BACKFILL_DAYS: "1",
      };
      const first = await startAsNobody(env);
      expect(first.ran, first.stderr).toBe(true);
      expect(existsSync(`${db}-shm`)).toBe(false);

      const says = (file: string) =>
        `mcp-activity start: cannot open the database at ${db}: ${file} is not writable by this process: make it writable by it (SQLite makes the -wal and -shm files with the mode the database has)`;

      chmodSync(db, 0o444); // a restore, a hardening script
      const refused = await startAsNobody(env);
      expect(refused.code).toBe(1);
      expect(refused.stderr.trim()).toBe(says(db));
      expect(existsSync(`${db}-shm`)).toBe(false);

      chmodSync(db, 0o644); // what it said
      const again = await startAsNobody(env);
      expect(again.ran, again.stderr).toBe(true);

      // A -shm left read-only by an earlier release's start on the read-only file.
      writeFileSync(`${db}-shm`, "");
      chownSync(`${db}-shm`, NOBODY, NOBODY);
      chmodSync(`${db}-shm`, 0o444);
      const shm = await startAsNobody(env);
      expect(shm.code).toBe(1);
      expect(shm.stderr.trim()).toBe(says(`${db}-shm`));
      chmodSync(`${db}-shm`, 0o644); // what it said
      const started = await startAsNobody(env);
      expect(started.ran, started.stderr).toBe(true);
    },
    120_000,
  );

  it.runIf(asRoot)(
    "lets a reading command read it only while its side files are there",
    () => {
      const db = nobodysDatabase();
      const run = (args: string[], path = db) => {
        const r = spawnSync("setpriv", [...AS_NOBODY, process.execPath, CLI, ...args], {
          env: childEnv({ DATABASE_PATH: path }),
          encoding: "utf8",
        });
        return { code: r.status, stderr: r.stderr.trim() };
      };
      expect(run(["migrate"]).code).toBe(0);
      chownSync(db, 0, 0); // the bot's user's file: this user may read it, not write it
      chmodSync(db, 0o644);

      // No side files: reading would make them of the file's mode, and stop the bot's next start.
      expect(run(["query", "since:7d"])).toEqual({
        code: 1,
        stderr: `mcp-activity query: cannot open the database at ${db}: ${db} is not writable by this process, and reading it would leave -wal and -shm files of its mode beside it, which would stop the bot's next start: run this as the user the bot runs as, or on a copy of the file`,
      });
      expect(existsSync(`${db}-shm`)).toBe(false);

      // Open by the bot (its own user): its side files are there, and the file is read.
      const bot = new Database(db);
      bot.prepare("SELECT count(*) FROM events").get();
      expect(existsSync(`${db}-shm`)).toBe(true);
      expect(run(["query", "since:7d"]).code).toBe(0);
      // And by a link to it: SQLite keeps the side files beside the file the link points to.
      const link = join(dirname(dirname(db)), "link.db");
      symlinkSync(db, link);
      expect(run(["query", "since:7d"], link).code).toBe(0);
      // A command that writes is refused as the bot is: it would fail midway.
      const reclassify = run(["reclassify"]);
      expect(reclassify.code).toBe(1);
      expect(reclassify.stderr).toContain(
        `${db}, ${db}-wal, ${db}-shm are not writable by this process: make them writable by it`,
      );
      bot.close();
      expect(existsSync(`${db}-shm`)).toBe(false);

      chownSync(db, NOBODY, NOBODY);
      expect(run(["migrate"])).toEqual({ code: 0, stderr: "" });
    },
    60_000,
  );
});

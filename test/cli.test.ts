import { spawn } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BOT_ENV, CLI, childEnv, collect, runCli } from "./helpers/cli.js";
import { closedPort } from "./helpers/ports.js";
import { tempDir } from "./helpers/tmp.js";

describe("mcp-activity CLI", () => {
  it("prints the usage for --help and exits 0", async () => {
    const result = await runCli(["--help"], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Usage: mcp-activity <command> [options]");
    expect(result.stdout).toMatch(/^\s+start\s+run the bot/m);
    expect(result.stdout).toMatch(/^\s+migrate\s+create the database/m);
  });

  it("prints each command's help", async () => {
    const result = await runCli(["migrate", "--help"], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Usage: mcp-activity migrate");
  });

  it("rejects an unknown command with the usage and exit 2", async () => {
    const result = await runCli(["strat"], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown command "strat" (did you mean "start"?)');
    expect(result.stderr).toContain("Usage: mcp-activity <command> [options]");
  });

  it("rejects an unknown option with the command's usage and exit 2", async () => {
    const result = await runCli(["migrate", "--force"], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('mcp-activity migrate: unknown option "--force"\n');
    expect(result.stderr).toContain("Usage: mcp-activity migrate");
  });

  it("exits 2 with the usage when no command is given", async () => {
    const result = await runCli([], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Usage: mcp-activity");
  });

  it("migrate creates the database file with owner-only permissions", async () => {
    const path = join(tempDir(), "data", "m.db");
    const first = await runCli(["migrate"], { DATABASE_PATH: path });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/applied \d+ migration\(s\): 0001_init\.sql/);
    expect(existsSync(path)).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const second = await runCli(["migrate"], { DATABASE_PATH: path });
    expect(second.stdout).toContain("schema is up to date");
  });

  it.each([
    [["query", "since:1d"]],
    [["tools"]],
    [["export", "--since", "1d"]],
    [["digest", "--dry-run"]],
    [["rules", "test"]],
    [["reclassify"]],
  ])("%j refuses a database path where there is none, and creates nothing", async (args) => {
    const path = join(tempDir(), "typo", "mcp-activty.db");
    const result = await runCli(args, { DATABASE_PATH: path, ATLASSIAN_ORG_ID: "org-1" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`no database at ${path}: check DATABASE_PATH`);
    expect(existsSync(path)).toBe(false);
  });

  it("says why the audit log cannot be reached, and where", async () => {
    const closed = await closedPort();
    const result = await runCli(["poll", "--once"], {
      DATABASE_PATH: join(tempDir(), "p.db"),
      ATLASSIAN_ORG_ID: "org-1",
      ATLASSIAN_API_KEY: "k",
      ATLASSIAN_API_BASE_URL: `http://127.0.0.1:${closed}`,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `GET /admin/v1/orgs on 127.0.0.1:${closed} failed (ECONNREFUSED): check that this machine reaches 127.0.0.1:${closed} over HTTP, and ATLASSIAN_API_BASE_URL`,
    );
  }, 60_000);

  it("says a file that is not a SQLite database in one line", async () => {
    const path = join(tempDir(), "notes.txt");
    writeFileSync(path, "not a database, just some text long enough to fill a page header\n");
    const result = await runCli(["migrate"], { DATABASE_PATH: path });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `mcp-activity migrate: ${path} is not a SQLite database: check DATABASE_PATH\n`,
    );
  });

  it("reads .env from the working folder, and the environment wins over it", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, ".env"), "DATABASE_PATH=from-dotenv.db\nLOG_LEVEL=warn\n");
    const fromFile = await runCli(["migrate"], {}, dir);
    expect(fromFile.code).toBe(0);
    expect(existsSync(join(dir, "from-dotenv.db"))).toBe(true);
    const overridden = await runCli(["migrate"], { DATABASE_PATH: "from-env.db" }, dir);
    expect(overridden.code).toBe(0);
    expect(existsSync(join(dir, "from-env.db"))).toBe(true);
    // Set but blank (a shell's `export DATABASE_PATH=`, compose's `${DATABASE_PATH}` of nothing)
    // is unset, as the configuration reads it: .env's value stands.
    for (const blank of ["", "  "]) {
      rmSync(join(dir, "from-dotenv.db"));
      const filled = await runCli(["migrate"], { DATABASE_PATH: blank }, dir);
      expect(filled.code, filled.stderr).toBe(0);
      expect(existsSync(join(dir, "from-dotenv.db"))).toBe(true);
    }
  });

  it("reads a .env saved with a byte-order mark, its first variable included", async () => {
    const dir = tempDir();
    // "UTF-8 with BOM": PowerShell 5's Out-File -Encoding utf8, Notepad before 2019.
    writeFileSync(join(dir, ".env"), "\uFEFFDATABASE_PATH=from-dotenv.db\nLOG_LEVEL=warn\n");
    const result = await runCli(["migrate"], {}, dir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toContain("is not a variable");
    expect(existsSync(join(dir, "from-dotenv.db"))).toBe(true);
  });

  it("stops at a .env saved as UTF-16, which would read as no variable at all", async () => {
    const lines = "DATABASE_PATH=from-dotenv.db\r\nLOG_LEVEL=warn\r\n";
    const saved = {
      // PowerShell 5's > and Out-File, Notepad's "Unicode"; and without a byte-order mark.
      "UTF-16LE": Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(lines, "utf16le")]),
      "UTF-16BE": Buffer.concat([
        Buffer.from([0xfe, 0xff]),
        Buffer.from(lines, "utf16le").swap16(),
      ]),
      "UTF-16LE without a mark": Buffer.from(lines, "utf16le"),
    };
    // `start` would say each variable set in it is required, without naming the file.
    for (const [encoding, bytes] of Object.entries(saved)) {
      const dir = tempDir();
      writeFileSync(join(dir, ".env"), bytes);
      const result = await runCli([encoding === "UTF-16LE" ? "start" : "migrate"], {}, dir);
      expect(result.stderr, encoding).toBe(
        `mcp-activity: ./.env is saved as UTF-16 (as PowerShell 5's > and Out-File, or Notepad's "Unicode", save it): save it as UTF-8\n`,
      );
      expect(result.code, encoding).toBe(2);
      // Not another database than the one the file names, made and migrated without a word.
      expect(readdirSync(dir), encoding).toEqual([".env"]);
    }
  });

  it("skips a .env that is a folder, as Docker makes of a missing bind-mounted file", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, ".env"));
    const result = await runCli(["migrate"], { DATABASE_PATH: "m.db" }, dir);
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(join(dir, "m.db"))).toBe(true);
  });

  it("says in one line that a .env this user cannot read must be made readable, --help included", async () => {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, ".env"), "LOG_LEVEL=info\n");
    chmodSync(join(dir, ".env"), 0o000);
    // Root reads any file: run the command as nobody, as an operator's own user would be.
    const asOther = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    for (const args of [["query", "since:1d"], ["--help"]]) {
      const child = spawn(process.execPath, [CLI, ...args], {
        env: childEnv({ DATABASE_PATH: join(dir, "q.db") }),
        cwd: dir,
        ...asOther,
      });
      const result = await collect(child);
      expect(result.stderr).toBe(
        "mcp-activity: ./.env cannot be read (EACCES): make it readable by this user, or remove it\n",
      );
      expect(result.code).toBe(2);
    }
  });

  it("says which variable a mistyped one in .env was likely meant to be, and ignores others", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, ".env"), "DATABASE_PATH=m.db\nPOLL_INTERVALL_SECONDS=30\n");
    const result = await runCli(
      ["migrate"],
      { SLACK_BOT_TOKN: "xoxb-1", DATABASE_URL: "postgres://x", SLACK_WEBHOOK_URL: "https://x" },
      dir,
    );
    expect(result.code, result.stderr).toBe(0);
    const said = result.stderr.split("\n").filter((l) => l.includes("is not a variable"));
    expect(said.sort()).toEqual([
      "mcp-activity: POLL_INTERVALL_SECONDS is not a variable of mcp-activity, so it is ignored: did you mean POLL_INTERVAL_SECONDS?",
      "mcp-activity: SLACK_BOT_TOKN is not a variable of mcp-activity, so it is ignored: did you mean SLACK_BOT_TOKEN?",
    ]);
    expect(result.stderr).not.toContain("xoxb-1");
  });

  it("says in one line when the database's folder cannot be made, before any lock or poll", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "a-file"), "");
    const result = await runCli(["poll", "--once"], {
      ATLASSIAN_ORG_ID: "org-1",
      ATLASSIAN_API_KEY: "key",
      ATLASSIAN_API_BASE_URL: "http://127.0.0.1:9",
      DATABASE_PATH: join(dir, "a-file", "x.db"),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^mcp-activity poll: cannot open the database at .*a-file\/x\.db: .*check DATABASE_PATH/m,
    );
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it.runIf(process.platform === "linux")(
    "says in one line a folder that cannot be made under /proc, where a recursive mkdir never returns",
    async () => {
      const result = await runCli(["migrate"], { DATABASE_PATH: "/proc/mcp-activity/x.db" });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        "mcp-activity migrate: cannot open the database at /proc/mcp-activity/x.db: ENOENT: no such file or directory, mkdir '/proc/mcp-activity' (check DATABASE_PATH and the folder's permissions)\n",
      );
    },
  );

  it("help <command> prints that command's help", async () => {
    const result = await runCli(["help", "digest"], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Usage: mcp-activity digest --dry-run");
  });

  it("start stops with exit 2 and names every missing variable", async () => {
    const result = await runCli(["start"], {
      DATABASE_PATH: join(tempDir(), "s.db"),
      SLACK_BOT_TOKEN: "xoxp-hunter2",
    });
    expect(result.code).toBe(2);
    for (const name of [
      "ATLASSIAN_ORG_ID",
      "ATLASSIAN_API_KEY",
      "SLACK_ALERT_CHANNEL",
      "SLACK_SIGNING_SECRET",
    ]) {
      expect(result.stderr).toContain(`${name} is required`);
    }
    expect(result.stderr).toContain("SLACK_BOT_TOKEN must start with xoxb-");
    expect(result.stderr).not.toContain("hunter2");
  });

  it("points a configuration error at its help: the variables', or the rules file's keys", async () => {
    const dir = tempDir();
    const rules = join(dir, "rules.yml");
    writeFileSync(rules, "minSeverty: high\n");
    const lastLine = async (args: string[], env: Record<string, string>) => {
      const result = await runCli(args, { ...BOT_ENV, DATABASE_PATH: join(dir, "h.db"), ...env });
      expect(result.code, result.stderr).toBe(2);
      return result.stderr.trimEnd().split("\n").at(-1);
    };
    const variables = "See .env.example and docs/configuration.md for every variable.";
    // In quotes, or a path nothing reads: the variable is wrong, not a key of the file.
    expect(await lastLine(["start"], { RULES_FILE: `"${rules}"` })).toBe(variables);
    const missing = join(dir, "missing.yml");
    expect(await lastLine(["start"], { RULES_FILE: missing })).toBe(variables);
    expect(await lastLine(["start"], { RULES_FILE: rules })).toBe(
      "See docs/rules.md#the-rules-file for every key of the rules file.",
    );
  });

  it("ends quietly when its reader stops early, as `| head` does", async () => {
    const child = spawn(process.execPath, [CLI, "rules", "check", "docs/rules.example.yml"], {
      env: childEnv({ DATABASE_PATH: join(tempDir(), "r.db") }),
    });
    child.stdout.destroy(); // the reader is gone before the first line is written
    const result = await collect(child);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
  });

  it("goes on when the reader of stderr is gone, as `2>&1 | head` leaves it", async () => {
    const child = spawn(process.execPath, [CLI, "rules", "check", "docs/rules.example.yml"], {
      // A mistyped variable: a line on stderr before the work, as a progress line may come.
      env: childEnv({ DATABASE_PATH: join(tempDir(), "r.db"), RULES_FIEL: "x" }),
    });
    child.stderr.destroy();
    const result = await collect(child);
    expect(result.stdout).toContain("# docs/rules.example.yml: valid.");
    expect(result.code).toBe(0);
  });
});

/**
 * An operator's mistakes at the command line, through the built CLI as a child process: each is
 * said, with what was meant where it can be guessed, and none quietly changes stored data.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli.js";
import { simulatedOrg } from "./helpers/simulated.js";
import { tempDir } from "./helpers/tmp.js";

const count = (path: string, sql: string) => {
  const db = new Database(path, { readonly: true });
  const n = (db.prepare(sql).get() as { n: number }).n;
  db.close();
  return n;
};

describe("reclassify run otherwise than the bot runs", () => {
  it("refuses to undo the bot's rules file, says which it applies, and goes with --force", async () => {
    const { env, path } = await simulatedOrg(1000);
    const rules = join(tempDir(), "rules.yml");
    writeFileSync(rules, "tools:\n  getJiraIssue: { class: destructive, risk: high }\n");
    // The bot (here poll --once) classifies with the rules file, and records that it does.
    expect((await runCli(["poll", "--once"], { ...env, RULES_FILE: rules })).code).toBe(0);
    const destructive =
      "SELECT count(*) AS n FROM events WHERE tool = 'getJiraIssue' AND tool_class = 'destructive'";
    const before = count(path, destructive);
    expect(before).toBeGreaterThan(0);

    // From a shell without RULES_FILE: refused, nothing changed.
    const bare = await runCli(["reclassify"], { DATABASE_PATH: path });
    expect(bare.code).toBe(1);
    expect(bare.stderr).toContain(
      `the bot classifies new events with the rules file ${rules} (as recorded when start or poll --once last ran, `,
    );
    expect(bare.stderr).toContain(`Run it with RULES_FILE=${rules}, or add --force`);
    expect(count(path, destructive)).toBe(before);

    // With the bot's rules file: it says so and runs.
    const same = await runCli(["reclassify"], { DATABASE_PATH: path, RULES_FILE: rules });
    expect(same.code).toBe(0);
    expect(same.stdout).toContain(
      `classifying with the rules file ${rules} (1 tool, 0 extra MCP action keys)`,
    );
    expect(count(path, destructive)).toBe(before);

    // The rules file edited, the bot not restarted: it says the bot reads it at a restart.
    writeFileSync(rules, "tools:\n  getJiraIssue: { class: write, risk: high }\n");
    const edited = await runCli(["reclassify"], { DATABASE_PATH: path, RULES_FILE: rules });
    expect(edited.code).toBe(0);
    expect(edited.stdout).toContain(
      `the bot read ${rules} at its start, before it was changed: restart it so that new events are classified as these`,
    );
    expect(same.stdout).not.toContain("restart");

    // --force: as asked.
    const forced = await runCli(["reclassify", "--force"], { DATABASE_PATH: path });
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain("classifying with no RULES_FILE (the built-in tools alone)");
    expect(count(path, destructive)).toBe(0);
    expect(
      count(
        path,
        "SELECT count(*) AS n FROM events WHERE tool = 'getJiraIssue' AND tool_class = 'write'",
      ),
    ).toBe(0);
  });
  it("with a first rules file, where the bot has none, runs and says to restart the bot", async () => {
    const { env, path } = await simulatedOrg(1000);
    expect((await runCli(["poll", "--once"], env)).code).toBe(0);
    const rules = join(tempDir(), "rules.yml");
    writeFileSync(rules, "tools:\n  getJiraIssue: { class: destructive, risk: high }\n");
    const first = await runCli(["reclassify"], { DATABASE_PATH: path, RULES_FILE: rules });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(
      `the bot started with no RULES_FILE (the built-in tools alone): restart it with RULES_FILE=${rules}`,
    );
  });
});

describe("the organization a digest preview is of", () => {
  it("an ATLASSIAN_ORG_ID none of whose events are stored is refused, as --org is", async () => {
    const { env, path } = await simulatedOrg(1000);
    expect((await runCli(["poll", "--once"], env)).code).toBe(0);
    const byFlag = await runCli(["digest", "--dry-run", "--org", "org-typo"], {
      DATABASE_PATH: path,
    });
    expect(byFlag.code).toBe(2);
    expect(byFlag.stderr).toContain('no events of organization "org-typo" are stored');
    const byEnv = await runCli(["digest", "--dry-run"], {
      DATABASE_PATH: path,
      ATLASSIAN_ORG_ID: "org-typo",
    });
    expect(byEnv.code).toBe(2);
    expect(byEnv.stderr).toContain(
      `ATLASSIAN_ORG_ID: no events of organization "org-typo" are stored: the stored ones are ${env.ATLASSIAN_ORG_ID}`,
    );
    expect(byEnv.stdout).not.toContain("No MCP activity");
  });

  it("an API key given as ATLASSIAN_ORG_ID is refused as start refuses it, never shown", async () => {
    const { env } = await simulatedOrg(1000);
    expect((await runCli(["poll", "--once"], env)).code).toBe(0);
    const key = `ATCTT3xFfGN0${"SECRETkeyMaterial".repeat(10)}`;
    for (const mode of ["--dry-run", "--post"]) {
      const digest = await runCli(["digest", mode], { ...env, ATLASSIAN_ORG_ID: key });
      expect(digest.code, mode).toBe(2);
      expect(digest.stderr, mode).toContain(
        "ATLASSIAN_ORG_ID holds what looks like an API key, not an organization id: are ATLASSIAN_ORG_ID and ATLASSIAN_API_KEY swapped?",
      );
      expect(digest.stdout + digest.stderr, mode).not.toContain("SECRETkey");
    }
  }, 60_000);
});

describe("mistyped options and commands", () => {
  it.each([
    [["backup", "--froce", "x.db"], "--force"],
    [["rules", "test", "--day", "3"], "--days"],
    [["query", "since:1d", "--jsn"], "--json"],
    [["start", "--dryrun"], "--dry-run"],
  ])("%j suggests the nearest option, as an unknown command does", async (args, meant) => {
    const result = await runCli(args, { DATABASE_PATH: join(tempDir(), "none.db") });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`did you mean "${meant}"?`);
    // parseArgs's advice about positionals after '--' is no help here.
    expect(result.stderr).not.toContain("after '--'");
  });

  it("help with a mistyped command says so, as the command itself does", async () => {
    const result = await runCli(["help", "strat"], {});
    expect(result.stderr).toContain('unknown command "strat" (did you mean "start"?)');
    expect(result.code).toBe(2);
  });

  it("help help prints the usage, as help does", async () => {
    const result = await runCli(["help", "help"], {});
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("Usage: mcp-activity <command> [options]");
  });

  it.each([["0x10"], ["1e1"], ["7.0"]])(
    "rules test --days %s is refused: not a whole number",
    async (days) => {
      const path = join(tempDir(), "r.db");
      expect((await runCli(["migrate"], { DATABASE_PATH: path })).code).toBe(0);
      const result = await runCli(["rules", "test", "--days", days], { DATABASE_PATH: path });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("--days must be a whole number from 1 to 36500");
    },
  );
});

describe("arguments with control or invisible characters", () => {
  it("a DATABASE_PATH with control characters is said back spelled out: migrate, backup, rules check", async () => {
    const esc = "\u001b[2J";
    const acted = (r: { stdout: string; stderr: string }) =>
      ["\u001b", "\u009b"].some((c) => `${r.stdout}${r.stderr}`.includes(c));
    const dir = tempDir();
    const env = { DATABASE_PATH: join(dir, `db${esc}.sqlite`) };
    for (const [args, given] of [
      [["migrate"], env],
      [["backup", join(dir, "b.db")], env],
      [["rules", "check"], { DATABASE_PATH: join(dir, `none${esc}.sqlite`) }],
    ] as const) {
      const result = await runCli([...args], given);
      expect(result.code, result.stderr).toBe(0);
      expect(acted(result), JSON.stringify(result.stdout)).toBe(false);
      expect(result.stdout).toContain("\\u001b[2J");
    }
  });

  it("--org with the line end of a file saved on Windows is taken as the id", async () => {
    const { env } = await simulatedOrg(300);
    expect((await runCli(["poll", "--once"], env)).code).toBe(0);
    for (const args of [
      ["export", "--org", "org-cli\r\n"],
      ["query", "since:1d org:org-cli", "--org", " org-cli\r"],
      ["digest", "--dry-run", "--org", "org-cli\r"],
    ]) {
      const result = await runCli(args, env);
      expect(result.code, JSON.stringify(args) + result.stderr).toBe(0);
      expect(result.stderr).not.toContain("\r");
    }
  });

  it("an --org not stored is said back with what shows nothing spelled out", async () => {
    const { env } = await simulatedOrg(300);
    expect((await runCli(["poll", "--once"], env)).code).toBe(0);
    const result = await runCli(["export", "--org", "org-\u001b[2Jcli\u200b"], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'no events of organization "org-\\u001b[2Jcli\\u200b" are stored: the stored ones are org-cli',
    );
  });

  it.each([
    [["\u001b[2Jstart"], 'unknown command "\\u001b[2Jstart"'],
    [["query", "--\u001b[2Jorg", "x"], 'unknown option "--\\u001b[2Jorg"'],
    [["rules", "te\u009bst"], 'unknown rules action "te\\u009bst"'],
    [["export", "--since", "1\u001b[2Jd"], '--since "1\\u001b[2Jd" is not a time'],
    [["simulate", "--profile", "busy\r"], 'not "busy\\r"'],
  ])("%j is said back spelled out, not acted on by the terminal", async (args, said) => {
    const result = await runCli(args, { DATABASE_PATH: join(tempDir(), "none.db") });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(said);
    for (const control of ["\u001b", "\u009b", "\r"]) expect(result.stderr).not.toContain(control);
  });

  const ESC = "\u001b[2J";
  const shown = "\\u001b[2J";
  const acted = (result: { stdout: string; stderr: string }) =>
    ["\u001b", "\u009b"].some((c) => `${result.stdout}${result.stderr}`.includes(c));

  it("a FILE that cannot be used is said back spelled out: rules check, demo --rules, backup, --chart", async () => {
    const { env } = await simulatedOrg(300);
    expect((await runCli(["poll", "--once"], env)).code).toBe(0);
    const gone = join(tempDir(), `no${ESC}dir`);
    for (const [args, said] of [
      [
        ["rules", "check", `${gone}.yml`],
        `the rules file ${gone.replace(ESC, shown)}.yml cannot be read`,
      ],
      [
        ["demo", "--rules", `${gone}.yml`],
        `--rules ${gone.replace(ESC, shown)}.yml cannot be read`,
      ],
      [["backup", join(gone, "x.db")], `the folder ${gone.replace(ESC, shown)} does not exist`],
      [
        ["digest", "--dry-run", "--chart", join(gone, "c.png")],
        `cannot write the chart to ${gone.replace(ESC, shown)}/c.png`,
      ],
    ] as const) {
      const result = await runCli([...args], env);
      expect(result.stderr, JSON.stringify(args)).toContain(said);
      expect(acted(result), JSON.stringify(args)).toBe(false);
    }
  });

  it("a FILE written or read is said back spelled out: rules check, backup, --chart", async () => {
    const { env } = await simulatedOrg(300);
    expect((await runCli(["poll", "--once"], env)).code).toBe(0);
    const dir = tempDir();
    const rules = join(dir, `rules${ESC}.yml`);
    writeFileSync(rules, "maxAlertsPerHour: 20\n");
    for (const [args, said] of [
      [["rules", "check", rules], `# ${dir}/rules${shown}.yml: valid.`],
      [["backup", join(dir, `b${ESC}.db`)], ` to ${dir}/b${shown}.db (owner-only, 0600)`],
      [
        ["digest", "--dry-run", "--last", "--chart", join(dir, `c${ESC}.png`)],
        `chart written to ${dir}/c${shown}.png`,
      ],
    ] as const) {
      const result = await runCli([...args], env);
      expect(result.code, JSON.stringify(args) + result.stderr).toBe(0);
      expect(result.stdout, JSON.stringify(args)).toContain(said);
      expect(acted(result), JSON.stringify(args)).toBe(false);
    }
  });
});

/** `mcp-activity demo` and `start --dry-run`: the built CLI with the console channel for Slack. */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startSimulator } from "../src/simulator/index.js";
import { RunningCli } from "./helpers/cli.js";
import { tempDir } from "./helpers/tmp.js";

const running: RunningCli[] = [];
afterEach(() => {
  for (const cli of running.splice(0)) cli.child.kill("SIGKILL");
});

function launch(args: string[], env: Record<string, string> = {}): RunningCli {
  const cli = new RunningCli(args, env);
  running.push(cli);
  return cli;
}

/** The first printed line matching `pattern`, with its groups. */
async function line(cli: RunningCli, pattern: RegExp, ms = 30_000): Promise<RegExpExecArray> {
  const found = await cli.waitFor((l) => pattern.test(String(l.text ?? "")), ms);
  return pattern.exec(String(found.text)) as RegExpExecArray;
}

const type = (cli: RunningCli, text: string) => cli.child.stdin?.write(`${text}\n`);

describe("mcp-activity demo", () => {
  it("shows alerts, answers typed commands and button presses, and quits cleanly", async () => {
    const cli = launch(["demo", "--every", "1", "--days", "1"]);
    const logPath = (await line(cli, /The log is in (\S+)\.$/))[1] as string;
    const me = (await line(cli, /^You are (.+) \(/))[1] as string;

    const alert = (await line(cli, /#security · alert (\d+) ·/, 60_000))[1] as string;
    await line(cli, new RegExp(`\\[Acknowledge: ack ${alert}\\]`));

    type(cli, "/mcp-activity user:me since:1d");
    await line(cli, /only you can see this/);
    await line(cli, /^MCP activity · user:me since:1d/);
    await line(cli, /^\d+ MCP calls · 1 person ·/);

    type(cli, `ack ${alert}`);
    await line(cli, new RegExp(`alert ${alert} updated`));
    await line(cli, new RegExp(`Acknowledged by @${me}`));
    type(cli, `expected ${alert}`);
    await line(cli, new RegExp(`alert ${alert} has no "expected" button here`));

    type(cli, "ackk 1");
    await line(cli, /did you mean ack\?/);

    type(cli, "digest");
    await line(cli, /^Daily MCP activity digest/);
    await line(cli, /mcp-activity\.png \(\d+ bytes\) saved to /);

    // The scripted scenario's canary read, caught by the canary the demo's own rules declare.
    await line(cli, /scripted scenario plays: .*an AI tool reading a canary/);
    await line(cli, /An AI tool read canary issue [A-Z]+-9001 as /, 90_000);

    type(cli, "quit");
    const result = await cli.done;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("demo stopped");
    expect(result.stderr).toBe("");
    expect(existsSync(logPath)).toBe(false);
  }, 120_000);

  it("lets the responder at the prompt handle the scripted identity alerts: none is about them", async () => {
    const cli = launch(["demo", "--days", "0"]);
    const me = (await line(cli, /^You are (.+) \(/))[1] as string;
    const rules = [
      "two-step-disabled",
      "org-admin-granted",
      "user-impersonated",
      "auth-policy-changed",
    ];
    for (const rule of rules) {
      const id = (await line(cli, new RegExp(`HIGH · ${rule} · alert (\\d+)`), 120_000))[1];
      type(cli, `ack ${id}`);
    }
    const acknowledged = new RegExp(`Acknowledged by @${me}`);
    const refused = /Someone else must handle alerts about you/;
    const said = (pattern: RegExp) => cli.lines.filter((l) => pattern.test(String(l.text ?? "")));
    await cli.waitFor(() => said(acknowledged).length >= rules.length || said(refused).length > 0);
    type(cli, "quit");
    await cli.done;
    expect(said(refused)).toEqual([]);
    expect(said(acknowledged)).toHaveLength(rules.length);
  }, 150_000);

  it("keeps its folder with --keep, the files Slack would have received included", async () => {
    const cli = launch(["demo", "--days", "1", "--keep"]);
    await line(cli, /^You are /);
    await line(cli, /#security · alert \d+ ·/, 60_000);
    type(cli, "ack 999");
    await line(cli, /alert 999 is not in the channel \(not posted yet, .* or no such alert\)/);
    type(cli, "digest");
    const saved = await line(cli, /mcp-activity\.png \(\d+ bytes\) saved to (\S+)$/, 60_000);
    type(cli, "quit");
    const result = await cli.done;
    expect(result.code).toBe(0);
    const kept = /The demo's files are kept in (\S+)/.exec(result.stdout)?.[1] ?? "";
    expect(existsSync(saved[1] ?? "")).toBe(true);
    expect(saved[1]?.startsWith(kept)).toBe(true);
    rmSync(kept, { recursive: true, force: true });
  }, 90_000);

  it("stops cleanly on Ctrl-C (SIGINT)", async () => {
    const cli = launch(["demo", "--days", "0"]);
    await line(cli, /^You are /);
    cli.child.kill("SIGINT");
    const result = await cli.done;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("demo stopped");
  }, 30_000);

  it("stops at once on a rules file it cannot read, saying so, with the prompt open", async () => {
    const cli = launch(["demo", "--rules", join(tempDir(), "missing.yml")]);
    const result = await cli.done;
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--rules");
    expect(result.stderr).not.toContain("RULES_FILE");
    expect(result.stderr).toContain("cannot be read");
  }, 30_000);

  it("names --rules, not RULES_FILE, in each problem of a rules file it refuses", async () => {
    const file = join(tempDir(), "rules.yml");
    writeFileSync(file, "groupingWindowMinutes: 2880\n");
    const cli = launch(["demo", "--rules", file]);
    const result = await cli.done;
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--rules ${file}: groupingWindowMinutes`);
  }, 30_000);

  it("rejects a bad option with the option's name", async () => {
    const cli = launch(["demo", "--every", "0"]);
    const result = await cli.done;
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--every must be a whole number from 1 to 3600");
  });
});

describe("mcp-activity start --dry-run", () => {
  it("reads the audit log and prints alerts here, with no Slack variables", async () => {
    const now = Date.now();
    const sim = await startSimulator({
      seed: 3,
      orgId: "org-dry",
      apiKey: "dry-key",
      start: now - 3_600_000,
      intervalMs: 1000,
    });
    const dir = tempDir();
    writeFileSync(join(dir, "key"), "dry-key\n");
    const tmp = join(dir, "tmp");
    mkdirSync(tmp);
    const filesFolders = () => readdirSync(tmp).filter((f) => f.startsWith("mcp-activity-files-"));
    try {
      const cli = launch(["start", "--dry-run"], {
        ATLASSIAN_API_BASE_URL: sim.url,
        ATLASSIAN_ORG_ID: "org-dry",
        ATLASSIAN_API_KEY_FILE: join(dir, "key"),
        DATABASE_PATH: join(dir, "live.db"),
        POLL_INTERVAL_SECONDS: "5",
        PORT: "0",
        TMPDIR: tmp,
      });
      await line(cli, /^Dry run: reading the audit log of org-dry/);
      await line(cli, /^Its database is .*live\.dry-run\.db, apart from DATABASE_PATH/);
      await line(cli, /#security · alert \d+ ·/, 60_000);
      expect(filesFolders()).toHaveLength(1); // where files Slack would get are saved
      const result = await (async () => {
        cli.child.kill("SIGTERM");
        return cli.done;
      })();
      expect(result.code).toBe(0);
      // The log goes to stderr, as JSON; stdout is the console channel.
      expect(result.stderr).toContain('"msg":"shutting down"');
      expect(result.stdout).not.toContain('"level"');
      // What the dry run raised stays out of the database `start` will post from.
      expect(existsSync(join(dir, "live.dry-run.db"))).toBe(true);
      expect(existsSync(join(dir, "live.db"))).toBe(false);
      // The organization's files do not outlive the run.
      expect(filesFolders()).toEqual([]);
    } finally {
      await sim.close();
    }
  }, 90_000);
});

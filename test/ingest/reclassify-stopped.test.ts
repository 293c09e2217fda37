import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { BASELINE_HOURS_KEPT } from "../../src/store/baselines.js";
import { HOUR } from "../../src/time-units.js";
import { CLI, childEnv, collect, runCli } from "../helpers/cli.js";
import { simulatedOrg } from "../helpers/simulated.js";
import { tempDir } from "../helpers/tmp.js";

/**
 * getJiraIssue's stored calls by class, and the personal baselines: their hours from the oldest
 * one a run now keeps (BASELINE_HOURS_KEPT back from this hour), so that two runs an hour's turn
 * apart compare alike.
 */
function stored(path: string, oldest = Math.floor(Date.now() / HOUR) - BASELINE_HOURS_KEPT) {
  const db = new Database(path, { readonly: true });
  const classes = db
    .prepare(
      "SELECT tool_class AS class, count(*) AS n FROM events WHERE tool = 'getJiraIssue' GROUP BY 1 ORDER BY 1",
    )
    .all();
  const baselines = [
    db.prepare("SELECT user_id, scope, first_seq FROM person_scopes ORDER BY 1, 2").all(),
    db
      .prepare("SELECT user_id, hour, calls FROM person_hours WHERE hour >= ? ORDER BY 1, 2")
      .all(oldest),
  ];
  db.close();
  return { classes, baselines };
}

describe("reclassify of a large store", () => {
  it("says how far it got; runs alone; stopped with Ctrl-C, says what is left, and run again finishes", async () => {
    const { env, path } = await simulatedOrg(100_000);
    // All of it: 70 days hold its 100,000 minutes.
    expect((await runCli(["poll", "--once"], { ...env, BACKFILL_DAYS: "70" })).code).toBe(0);
    // What a run never stopped leaves, on a copy made before either run.
    const whole = join(tempDir(), "whole.db");
    const source = new Database(path);
    await source.backup(whole);
    source.close();
    const rules = join(tempDir(), "rules.yml");
    writeFileSync(rules, "tools:\n  getJiraIssue: { class: write, risk: high }\n");
    const withRules = { DATABASE_PATH: path, RULES_FILE: rules };

    const child = spawn(process.execPath, [CLI, "reclassify", "--force"], {
      env: childEnv(withRules),
    });
    const done = collect(child);
    // Read on beside `collect` (leaving a for-await would close the pipe the child writes to).
    const said = await new Promise<string>((resolve) => {
      let text = "";
      child.stderr.on("data", (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes("events (")) resolve(text);
      });
      child.once("close", () => resolve(text));
    });
    // Ctrl-C at its first progress line, half-way: the other half takes seconds more. Held
    // there (SIGSTOP) meanwhile, it is seen running, and a second run is refused.
    expect(said).toContain("reclassify: 50000 of 100000 events (50%)\n");
    child.kill("SIGSTOP");
    const meanwhile = await runCli(["tools"], withRules);
    expect(meanwhile.stdout).toMatch(
      /^org-cli: a reclassify begun \S+ is running: until it ends, stored events are classified partly as before it$/m,
    );
    expect(meanwhile.stdout).not.toContain("stopped before the end");
    const second = await runCli(["reclassify", "--force"], withRules);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain("another reclassify is running on the database at");
    expect(second.stdout).not.toContain("classifying with");
    child.kill("SIGINT");
    child.kill("SIGCONT");
    const result = await done;
    expect(result.code, result.stderr).toBe(130);
    const stop =
      /^stopped: (\d+) of 100000 events reclassified, baselines not rebuilt; run `mcp-activity reclassify` again to finish$/m.exec(
        result.stderr,
      );
    expect(stop, result.stderr).not.toBeNull();
    expect(Number(stop?.[1])).toBeGreaterThanOrEqual(50_000);
    expect(Number(stop?.[1])).toBeLessThan(100_000);
    expect(result.stdout).not.toContain("events read");
    // The store is mixed, and `tools`, which shows the rules file's class, says so.
    expect(stored(path).classes).toEqual([
      { class: "read", n: expect.any(Number) },
      { class: "write", n: expect.any(Number) },
    ]);
    const tools = await runCli(["tools"], withRules);
    expect(tools.stdout).toMatch(
      /^org-cli: a reclassify begun \S+ was stopped before the end: .*run `mcp-activity reclassify` again/m,
    );

    const again = await runCli(["reclassify", "--force"], withRules);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("org-cli: 100000 events read");
    expect(again.stderr).not.toContain("stopped");
    const once = await runCli(["reclassify", "--force"], { ...withRules, DATABASE_PATH: whole });
    expect(once.code, once.stderr).toBe(0);
    const oldest = Math.floor(Date.now() / HOUR) - BASELINE_HOURS_KEPT;
    expect(stored(path, oldest)).toEqual(stored(whole, oldest));
    expect(stored(path).classes).toEqual([{ class: "write", n: expect.any(Number) }]);
    expect((await runCli(["tools"], withRules)).stdout).not.toContain("stopped before the end");
  }, 240_000);
});

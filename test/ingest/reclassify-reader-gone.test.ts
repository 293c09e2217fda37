/**
 * `mcp-activity reclassify 2>&1 | head`, or a log reader that went away: its lines on stdout and
 * stderr only report the work, which goes on to the end, rather than stopping half-done (the store
 * classified partly as before) with an exit code that says nothing of it.
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { CLI, childEnv, collect, runCli } from "../helpers/cli.js";
import { simulatedOrg } from "../helpers/simulated.js";
import { tempDir } from "../helpers/tmp.js";

/** getJiraIssue's stored calls by class. */
function classes(path: string) {
  const db = new Database(path, { readonly: true });
  const rows = db
    .prepare(
      "SELECT tool_class AS class FROM events WHERE tool = 'getJiraIssue' GROUP BY 1 ORDER BY 1",
    )
    .pluck()
    .all();
  db.close();
  return rows;
}

/** A polled store, and a rules file that makes getJiraIssue a write: what reclassify changes. */
async function storeToReclassify() {
  const { env, path } = await simulatedOrg(2_000);
  expect((await runCli(["poll", "--once"], env)).code).toBe(0);
  expect(classes(path)).toEqual(["read"]);
  const rules = join(tempDir(), "rules.yml");
  writeFileSync(rules, "tools:\n  getJiraIssue: { class: write, risk: high }\n");
  return { path, env: { DATABASE_PATH: path, RULES_FILE: rules } };
}

/** reclassify --force, the reader of `stream` gone before it writes a line. */
function reclassifyWithoutReader(env: Record<string, string>, stream: "stdout" | "stderr") {
  const child = spawn(process.execPath, [CLI, "reclassify", "--force"], { env: childEnv(env) });
  child[stream]?.destroy();
  return collect(child);
}

describe("reclassify whose reader goes away", () => {
  it.each([["stdout"], ["stderr"]] as const)(
    "finishes its work when %s is closed, and exits 0",
    async (stream) => {
      const { path, env } = await storeToReclassify();
      // A mistyped variable: a line on stderr before any work, as a progress line may come.
      const result = await reclassifyWithoutReader({ ...env, RULES_FIEL: "x" }, stream);
      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(classes(path)).toEqual(["write"]);
    },
    60_000,
  );
});

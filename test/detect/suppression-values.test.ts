/**
 * Suppression values as an admin writes them (stray spaces, an invisible character pasted with an
 * address, a tool in another case, a display name): through the real CLI (`poll --once`, then
 * `rules check`), the Atlassian simulator on loopback and a real SQLite file.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { parseRulesText } from "../../src/detect/rules-file.js";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import { HOUR } from "../../src/time-units.js";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";

const closing: Simulator[] = [];
afterEach(async () => {
  await Promise.all(closing.splice(0).map((c) => c.close()));
});

/** A deleteJiraIssue call by `who`, now. */
const deletion = (who: string) => ({
  id: `delete-${who}`,
  attributes: {
    time: new Date().toISOString(),
    action: "rovo_mcp_tool_called",
    actor: {
      id: `acc-${who}`,
      name: `Person ${who}`,
      email: `${who}@example.com`,
      auth: { authType: "auth-token-for-3LO" },
    },
    context: [{ id: "deleteJiraIssue", type: "mcp-tool", attributes: { name: "deleteJiraIssue" } }],
  },
});

const RULES = [
  "suppressions:",
  '  - { actor: " d@example.com ", rule: mcp-destructive, reason: spaces }',
  '  - { actor: "e\\u200b@example.com", rule: mcp-destructive, reason: hidden }',
  "  - { actor: f@example.com, tool: DeleteJiraIssue, rule: mcp-destructive, reason: case }",
  "  - { actor: Person g, rule: mcp-destructive, reason: display name }",
  "groups:",
  '  bots: [" 5b10ac8d82e05b22cc7d4ef5", "712020:0e3c4a5b-1d2e-4f60-8a9b-0c1d2e3f4a5b", Bot h]',
].join("\n");

describe("suppression values", () => {
  it("are read without stray spaces or hidden characters", () => {
    const rules = parseRulesText(RULES, "rules.yml");
    expect(rules.suppressions.map((s) => s.actor)).toEqual([
      "d@example.com",
      "e@example.com",
      "f@example.com",
      "Person g",
    ]);
    expect(rules.groups.bots?.[0]).toBe("5b10ac8d82e05b22cc7d4ef5");
  });

  it("match as the admin meant them, and rules check notes an actor that can match nobody", async () => {
    const sim = await startSimulator({
      seed: 6,
      orgId: "org-r",
      apiKey: "k",
      start: Date.now() - 3 * HOUR,
      intervalMs: 60_000,
    });
    closing.push(sim);
    const dir = tempDir();
    const file = join(dir, "rules.yml");
    writeFileSync(file, RULES);
    const env = {
      ATLASSIAN_API_BASE_URL: sim.url,
      ATLASSIAN_ORG_ID: "org-r",
      ATLASSIAN_API_KEY: "k",
      DATABASE_PATH: join(dir, "r.db"),
      BACKFILL_DAYS: "1",
      RULES_FILE: file,
    };
    const first = await runCli(["poll", "--once"], env);
    expect(first.code, first.stderr).toBe(0);
    sim.injectEvents(["d", "e", "f", "g"].map(deletion) as never);
    const second = await runCli(["poll", "--once"], env);
    expect(second.code, second.stderr).toBe(0);
    const db = new Database(env.DATABASE_PATH, { readonly: true });
    const quieted = db
      .prepare(
        "SELECT user_name AS who, suppressed_by AS quiet FROM alerts WHERE rule_id = 'mcp-destructive' ORDER BY user_name",
      )
      .all();
    db.close();
    expect(quieted).toEqual([
      { who: "Person d", quiet: "spaces" },
      { who: "Person e", quiet: "hidden" },
      { who: "Person f", quiet: "case" },
      { who: "Person g", quiet: null },
    ]);

    const check = await runCli(["rules", "check"], env);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout.match(/^# (suppressions|groups)\..*$/gm)).toEqual([
      '# suppressions.3.actor: "Person g" is neither an e-mail address nor an Atlassian account id, so it matches nobody: a person is named by account id or e-mail, not by name',
      '# groups.bots.2: "Bot h" is neither an e-mail address nor an Atlassian account id, so it matches nobody: a person is named by account id or e-mail, not by name',
    ]);
  }, 180_000);
});

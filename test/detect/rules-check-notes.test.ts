/**
 * What `rules check` notes about a valid file that quiets what the product is there to catch: the
 * notes are comment lines, the exit code stays 0.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseRulesText } from "../../src/detect/rules-file.js";
import { rulesFileNotes } from "../../src/rules-file-notes.js";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";

/** `rules check` of a file holding `text`: its exit code and its note lines. */
async function checked(text: string) {
  const dir = tempDir();
  const path = join(dir, "rules.yml");
  writeFileSync(path, text);
  const result = await runCli(["rules", "check", path], { DATABASE_PATH: join(dir, "none.db") });
  expect(result.code, result.stderr).toBe(0);
  return result.stdout.match(/^# (tools|rules|minSeverity|suppressions|groups)\b.*$/gm) ?? [];
}

describe("rules check notes", () => {
  it("name a destructive or admin tool the file classes lower, and leave other classes alone", async () => {
    const notes = await checked(
      [
        "tools:",
        "  deleteJiraIssue: { class: read }",
        "  createJiraProject: { class: write }",
        "  manageJiraProjectVersion: { class: destructive }",
        "  getJiraIssue: { class: write }",
        "  deleteBitbucketBranch: { class: write, product: bitbucket }",
      ].join("\n"),
    );
    expect(notes).toEqual([
      "# tools.deleteJiraIssue: class read lowers a tool the catalogue classes destructive: its calls raise no mcp-destructive alert and no posture drift under destructiveTools: off (remove the entry to keep the catalogue's class)",
      "# tools.createJiraProject: class write lowers a tool the catalogue classes admin: its calls raise no mcp-destructive alert and no posture drift under destructiveTools: off (remove the entry to keep the catalogue's class)",
      "# tools.deleteBitbucketBranch: class write lowers a tool whose name reads as destructive: its calls raise no mcp-destructive alert and no posture drift under destructiveTools: off (remove the entry to keep that class)",
    ]);
  });

  it("name each rule the README leads with that the file turns off or keeps out of the channel", async () => {
    const notes = await checked(
      [
        "minSeverity: high",
        "rules:",
        "  mcp-app-authorized: { enabled: false }",
        "  mcp-destructive: { mode: digest }",
        "  mcp-api-token: { severity: info }",
        "  mcp-settings-changed: { enabled: false }",
        "  mcp-write: { mode: digest }",
        "  mcp-burst: { severity: high, mode: group }",
      ].join("\n"),
    );
    const outOfChannel = "out of the channel (the digest and queries still have them)";
    expect(notes).toEqual([
      "# rules.mcp-app-authorized: enabled: false turns off the alerts of the MCP app authorized in a site",
      `# minSeverity: high keeps the alerts of a person's first MCP call and an AI tool new to the organization (mcp-first-use, medium) ${outOfChannel}`,
      `# rules.mcp-destructive: mode: digest keeps the alerts of destructive and admin calls ${outOfChannel}`,
      `# rules.mcp-api-token: severity info, below minSeverity (high), keeps the alerts of MCP calls made with an API token ${outOfChannel}`,
      "# rules.mcp-settings-changed: enabled: false turns off the alerts of MCP and connected-app settings changed",
      `# minSeverity: high keeps the alerts of a tool new to the organization (mcp-new-tool, medium) ${outOfChannel}`,
    ]);
  });

  it("name a suppression that quiets every alert of a rule the README leads with", async () => {
    const notes = await checked(
      [
        "suppressions:",
        "  - { reason: too noisy, rule: mcp-destructive }",
        "  - { reason: bots, rule: mcp-write, actor: svc@example.com }",
        "  - { reason: migration, rule: mcp-api-token, until: 2099-12-31 }",
        "  - { reason: our tool, rule: mcp-write, tool: createJiraIssue }",
        "  - { reason: not led with, rule: mcp-new-scope }",
        "  - { reason: the posture is ours, rule: mcp-posture-drift }",
      ].join("\n"),
    );
    expect(notes).toEqual([
      "# suppressions.0: rule: mcp-destructive with no actor, group or tool quiets every alert of destructive and admin calls: none reaches the channel (the digest counts them as quieted)",
      "# suppressions.2: rule: mcp-api-token with no actor, group or tool quiets every alert of MCP calls made with an API token until 2099-12-31: none reaches the channel (the digest counts them as quieted)",
    ]);
  });

  it("name an actor or a group member written as a link or with angle brackets, which matches nobody", async () => {
    const notes = await checked(
      [
        "groups:",
        '  bots: ["<svc@example.com>", svc2@example.com, "Svc <svc3@example.com>"]',
        "suppressions:",
        "  - { reason: link, rule: mcp-write, actor: mailto:ann@example.com }",
        "  - { reason: fine, rule: mcp-write, actor: ann.o'neil+mcp@example.co.uk }",
        "  - { reason: fine, rule: mcp-write, actor: 712020:0e3c4a5b-1d2e-4f60-8a9b-0c1d2e3f4a5b }",
      ].join("\n"),
    );
    const nobody =
      "is neither an e-mail address nor an Atlassian account id, so it matches nobody: a person is named by account id or e-mail, not by name";
    expect(notes).toEqual([
      `# suppressions.0.actor: "mailto:ann@example.com" ${nobody}`,
      `# groups.bots.0: "<svc@example.com>" ${nobody}`,
      `# groups.bots.2: "Svc <svc3@example.com>" ${nobody}`,
    ]);
  });

  it("say nothing of a suppression whose until has passed: it quiets nothing any more", async () => {
    const notes = await checked(
      'suppressions:\n  - { rule: mcp-destructive, reason: "migration weekend", until: 2020-01-05 }\n',
    );
    expect(notes).toEqual([]);
  });

  it("name a suppression through the whole UTC day of its until, as its matching does", () => {
    const rules = parseRulesText(
      "suppressions:\n  - { rule: mcp-write, reason: migration, until: 2026-12-07 }\n",
      "rules.yml",
      "RULES_FILE",
    );
    const through = Date.UTC(2026, 11, 7, 23, 59, 59);
    expect(rulesFileNotes(rules, through)).toEqual([
      "suppressions.0: rule: mcp-write with no actor, group or tool quiets every alert of write calls until 2026-12-07: none reaches the channel (the digest counts them as quieted)",
    ]);
    expect(rulesFileNotes(rules, Date.UTC(2026, 11, 8))).toEqual([]);
  });

  it("say nothing of the documented example", async () => {
    const notes = await checked(readFileSync("docs/rules.example.yml", "utf8"));
    expect(notes).toEqual([]);
  });
});

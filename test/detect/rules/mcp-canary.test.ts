import { describe, expect, it } from "vitest";
import { judge } from "../../../src/detect/judge.js";
import { parseRulesText } from "../../../src/detect/rules-file.js";
import { mcpEvent } from "../fixtures.js";

describe("mcp-canary", () => {
  it("is high whatever severity the rule is given, so it is never kept quiet", () => {
    // The rules file refuses one (rules-file.test.ts); the rule holds without that.
    const parsed = parseRulesText("watch:\n  - { issue: OPS-1, canary: true }\n", "rules.yml");
    const canary = parsed.rules["mcp-canary"];
    if (!canary) throw new Error("no mcp-canary settings");
    const config = {
      ...parsed,
      rules: { ...parsed.rules, "mcp-canary": { ...canary, severity: "info" as const } },
    };
    const found = judge(mcpEvent({ resource: "OPS-1" }), {}, config).find(
      (j) => j.ruleId === "mcp-canary",
    );
    expect(found).toMatchObject({ severity: "high", notify: true });
    expect(judge(mcpEvent({ resource: "OPS-2" }), {}, config)).not.toContainEqual(
      expect.objectContaining({ ruleId: "mcp-canary" }),
    );
  });

  it("says what the call did to the canary: deleted or changed, not read", () => {
    const config = parseRulesText("watch:\n  - { issue: OPS-1, canary: true }\n", "rules.yml");
    const title = (tool: string, toolClass: "read" | "write" | "destructive" | "admin") =>
      judge(mcpEvent({ resource: "OPS-1", tool, toolClass }), {}, config).find(
        (j) => j.ruleId === "mcp-canary",
      )?.title;
    expect(title("deleteJiraIssue", "destructive")).toBe(
      "An AI tool deleted canary issue OPS-1 as Alice Example",
    );
    expect(title("editJiraIssue", "write")).toBe(
      "An AI tool changed canary issue OPS-1 as Alice Example",
    );
    expect(title("getJiraIssue", "read")).toBe(
      "An AI tool read canary issue OPS-1 as Alice Example",
    );
  });
});

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
});

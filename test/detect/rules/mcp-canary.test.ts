import { describe, expect, it } from "vitest";
import { judge } from "../../../src/detect/judge.js";
import { parseRulesText } from "../../../src/detect/rules-file.js";
import { mcpEvent } from "../fixtures.js";

describe("mcp-canary", () => {
  it("is high whatever severity the rules file gives the rule, so it is never kept quiet", () => {
    const config = parseRulesText(
      "rules: { mcp-canary: { severity: info } }\nwatch:\n  - { issue: OPS-1, canary: true }\n",
      "rules.yml",
    );
    const found = judge(mcpEvent({ resource: "OPS-1" }), {}, config).find(
      (j) => j.ruleId === "mcp-canary",
    );
    expect(found).toMatchObject({ severity: "high", notify: true });
    expect(judge(mcpEvent({ resource: "OPS-2" }), {}, config)).not.toContainEqual(
      expect.objectContaining({ ruleId: "mcp-canary" }),
    );
  });
});

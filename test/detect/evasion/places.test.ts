import { describe, expect, it } from "vitest";
import { pipeline } from "./rig.js";

describe("a watched place or canary named after another place in one call", () => {
  const rules = `
watch:
  - { project: SEC, severity: high }
  - { issue: FIN-1, canary: true }
`;
  const issue = (key: string, projectKey: string) => ({
    id: key,
    type: "jira-issue",
    attributes: { issueKey: key, projectKey },
  });

  it("the canary named alone raises mcp-canary", async () => {
    const p = await pipeline(rules);
    await p.feed([p.call({ tool: "fetch", context: [issue("FIN-1", "FIN")] })]);
    expect(
      p.alerts().filter((a) => a.ruleId === "mcp-canary" && a.userId === "acct-mallory"),
    ).toHaveLength(1);
  }, 60_000);

  it("the canary and a watched project named after a harmless issue are both alerted", async () => {
    const p = await pipeline(rules);
    await p.feed([
      p.call({
        tool: "fetch",
        context: [issue("OPS-1", "OPS"), issue("FIN-1", "FIN"), issue("SEC-9", "SEC")],
      }),
    ]);
    const mine = p
      .alerts()
      .filter((a) => a.userId === "acct-mallory")
      .map((a) => a.ruleId);
    expect(mine).toContain("mcp-canary");
    expect(mine).toContain("mcp-watched-place");
  }, 60_000);
});

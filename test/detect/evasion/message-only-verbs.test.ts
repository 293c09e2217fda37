import { describe, expect, it } from "vitest";
import { pipeline } from "./rig.js";

/**
 * Where the tool name sits is not published; the message is one of the three places (the
 * simulator puts it there a third of the time). A tool the catalogue does not list is classified by
 * its verb wherever the name sits (docs/architecture.md: `bulkDeleteJiraIssues`,
 * `jira_delete_issue` → destructive), so the same call named only by the message must be too.
 */
describe("a destructive tool the catalogue does not list, named only by the message", () => {
  const cases = [
    ["bulkDeleteJiraIssues called through the Rovo MCP server by Mallory on OPS-1", "OPS-1"],
    ["Rovo MCP server: Claude called jira_delete_issue on OPS-2", "OPS-2"],
    ["Rovo MCP server: Claude called purgeConfluenceSpaceTrash on space HR", "OPS-3"],
  ] as const;

  for (const [message, issueKey] of cases) {
    it(`is read and alerted as destructive: "${message}"`, async () => {
      const p = await pipeline();
      const del = p.call({
        message,
        context: [{ type: "jira-issue", attributes: { issueKey } }],
      });
      await p.feed([del]);
      const stored = p.event(del.id);
      expect({ isMcp: stored.is_mcp, tool: stored.tool !== null, cls: stored.tool_class }).toEqual({
        isMcp: 1,
        tool: true,
        cls: "destructive",
      });
      expect(p.alerts().filter((a) => a.ruleId === "mcp-destructive" && a.notify)).toHaveLength(1);
    }, 60_000);
  }
});

describe("a token label naming a read tool, beside a delete the catalogue does not list", () => {
  it("does not make the delete a read (a label may only make a call look more dangerous)", async () => {
    const p = await pipeline();
    const svc = { id: "acct-svc", name: "svc-sync", email: "svc@acme.test" };
    const del = p.call({
      person: svc,
      auth: { authType: "api-token", tokenLabel: "getJiraIssue" },
      message: "Rovo MCP server: API token getJiraIssue called bulkDeleteJiraIssues on OPS-7",
      context: [{ type: "jira-issue", attributes: { issueKey: "OPS-7" } }],
    });
    await p.feed([del]);
    const stored = p.event(del.id);
    expect({ tool: stored.tool, cls: stored.tool_class }).toEqual({
      tool: "bulkDeleteJiraIssues",
      cls: "destructive",
    });
    expect(p.alerts().filter((a) => a.ruleId === "mcp-destructive" && a.notify)).toHaveLength(1);
  }, 60_000);
});

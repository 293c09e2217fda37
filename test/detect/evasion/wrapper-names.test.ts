import { describe, expect, it } from "vitest";
import { pipeline } from "./rig.js";

const destructivePosted = (p: Awaited<ReturnType<typeof pipeline>>) =>
  p.alerts().filter((a) => a.ruleId === "mcp-destructive" && a.notify);

describe("a wrapper's name in text a user chose, beside a delete", () => {
  it("a deleteConfluencePage named only by the message raises a posted high alert", async () => {
    const p = await pipeline();
    await p.feed([
      p.call({
        message: "Rovo MCP server: Claude called deleteConfluencePage on Payroll runbook (4242)",
        context: [
          {
            id: "4242",
            type: "confluence-page",
            attributes: { pageId: "4242", title: "Payroll runbook", spaceKey: "HR" },
          },
        ],
      }),
    ]);
    expect(destructivePosted(p)).toHaveLength(1);
    expect(p.posted().some((m) => m.payload.includes("deleteConfluencePage"))).toBe(true);
  }, 60_000);

  it("in the page's title leaves the delete destructive", async () => {
    const p = await pipeline();
    // The AI tool renamed the page it deletes: the message names the page by its title.
    const del = p.call({
      message: "Rovo MCP server: Claude called deleteConfluencePage on executeWrite notes (4242)",
      context: [
        {
          id: "4242",
          type: "confluence-page",
          attributes: { pageId: "4242", title: "executeWrite notes", spaceKey: "HR" },
        },
      ],
    });
    await p.feed([del]);
    const stored = p.event(del.id);
    expect({ tool: stored.tool, cls: stored.tool_class }).toEqual({
      tool: "deleteConfluencePage",
      cls: "destructive",
    });
    expect(destructivePosted(p)).toHaveLength(1);
  }, 60_000);

  it("in an API token's label leaves the token's deletes destructive", async () => {
    const p = await pipeline();
    const svc = {
      id: "acct-svc-mal",
      name: "svc-sync",
      email: "svc-sync@serviceaccount.atlassian.com",
    };
    const auth = { authType: "api-token", tokenId: "tok-1", tokenLabel: "executeWrite sync" };
    await p.feed(
      ["OPS-1", "OPS-2", "OPS-3"].map((key) =>
        p.call({
          person: svc,
          auth,
          message: `Rovo MCP server: API token executeWrite sync called deleteJiraIssue on ${key}`,
          context: [{ type: "jira-issue", attributes: { issueKey: key, projectKey: "OPS" } }],
        }),
      ),
    );
    expect(destructivePosted(p).length).toBeGreaterThan(0);
  }, 60_000);
});

describe("a delete run through the executeWrite wrapper", () => {
  it("named in the wrapper item's `operation` attribute is destructive: a posted mcp-destructive, no mcp-write", async () => {
    const p = await pipeline();
    const call = p.call({
      context: [
        {
          id: "executeWrite",
          type: "mcp-tool",
          attributes: { name: "executeWrite", operation: "deleteJiraIssue" },
        },
        { type: "jira-issue", attributes: { issueKey: "OPS-7", projectKey: "OPS" } },
      ],
    });
    await p.feed([call]);
    const row = p.event(call.id);
    expect([row.tool, row.tool_class]).toEqual(["executeWrite", "destructive"]);
    const raised = p.alerts().filter((a) => a.lastEventSeq === row.seq);
    expect(raised.filter((a) => a.ruleId === "mcp-write")).toEqual([]);
    expect(destructivePosted(p).map((a) => [a.title, a.severity])).toEqual([
      ["executeWrite → deleteJiraIssue by Mallory", "high"],
    ]);
  }, 60_000);

  it("named in the message is destructive too", async () => {
    const p = await pipeline();
    await p.feed([
      p.call({ message: "Rovo MCP server: Mallory called executeWrite: deleteJiraIssue on OPS-7" }),
    ]);
    expect(destructivePosted(p)).toHaveLength(1);
  }, 60_000);
});

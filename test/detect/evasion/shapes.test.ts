import { describe, expect, it } from "vitest";
import { DAY, pipeline } from "./rig.js";

describe("event shapes the normaliser must not let through", () => {
  it("a delete tool whose name does not start with its verb is destructive", async () => {
    const p = await pipeline();
    const bob = { id: "acct-bob", name: "Bob", email: "bob@acme.test" };
    await p.feed([
      p.call({
        person: bob,
        tool: "bulkDeleteJiraIssues",
        context: [{ type: "jira-issue", attributes: { issueKey: "OPS-1" } }],
      }),
    ]);
    await p.feed([
      p.call({
        tool: "bulkDeleteJiraIssues",
        context: [{ type: "jira-issue", attributes: { issueKey: "OPS-2" } }],
      }),
      p.call({
        tool: "jira_delete_issue",
        context: [{ type: "jira-issue", attributes: { issueKey: "OPS-3" } }],
      }),
    ]);
    const destructive = p.alerts().filter((a) => a.ruleId === "mcp-destructive");
    expect(destructive.map((a) => a.userId).sort()).toEqual(["acct-bob", "acct-mallory"]);
  }, 60_000);

  it("a late call without a processing time, made before the first start, is judged", async () => {
    const p = await pipeline();
    const del = p.call({
      tool: "deleteJiraIssue",
      time: p.r.clock.now() - 2 * DAY,
      context: [{ type: "jira-issue", attributes: { issueKey: "OPS-9" } }],
    });
    // Atlassian did not say when it processed it (the simulator stamps it unless the key is set).
    (del.attributes as Record<string, unknown>).processedAt = undefined;
    await p.feed([del]);
    expect(p.event(del.id)).toMatchObject({ backfilled: 0 });
    expect(p.alerts().filter((a) => a.ruleId === "mcp-destructive")).toHaveLength(1);
  }, 60_000);
});

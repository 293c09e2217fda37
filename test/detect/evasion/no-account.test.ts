import { describe, expect, it } from "vitest";
import { pipeline } from "./rig.js";

const noId = (name: string, email: string) => ({ name, email }) as unknown as { id: string };

describe("a call whose actor names no account id", () => {
  it("is still judged by the rules about the call itself", async () => {
    const p = await pipeline();
    await p.feed([
      p.call({
        person: noId("Mallory", "mallory@acme.test"),
        tool: "deleteJiraIssue",
        context: [{ type: "jira-issue", attributes: { issueKey: "OPS-4" } }],
      }),
    ]);
    const alerts = p.alerts().filter((a) => a.ruleId === "mcp-destructive");
    expect(alerts).toMatchObject([{ userId: null, userEmail: "mallory@acme.test", notify: true }]);
  }, 60_000);
});

describe("destructive calls by two different people whose events name no account id", () => {
  it("are two alerts, each about its own person (simulator → poller → SQLite → engine)", async () => {
    const p = await pipeline();
    await p.feed([
      p.call({
        person: noId("Mallory", "mallory@acme.test"),
        tool: "deleteJiraIssue",
        context: [{ type: "jira-issue", attributes: { issueKey: "OPS-4" } }],
      }),
    ]);
    await p.feed([
      p.call({
        person: noId("Eve", "eve@acme.test"),
        tool: "deleteConfluencePage",
        context: [{ type: "confluence-page", attributes: { pageId: "99", spaceKey: "HR" } }],
      }),
    ]);
    const destructive = p.alerts().filter((a) => a.ruleId === "mcp-destructive");
    expect(destructive.map((a) => [a.title, a.userEmail, a.eventCount])).toEqual([
      ["deleteJiraIssue by Mallory", "mallory@acme.test", 1],
      ["deleteConfluencePage by Eve", "eve@acme.test", 1],
    ]);
  }, 60_000);
});

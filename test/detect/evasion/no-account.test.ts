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

describe("a first use told by an event that names no account id", () => {
  it("a tool nobody used before raises mcp-new-tool, once", async () => {
    const p = await pipeline();
    await p.feed([p.call({ person: noId("Mallory", "mallory@acme.test"), tool: "jiraBulkOps" })]);
    await p.feed([p.call({ tool: "jiraBulkOps" })]); // Mallory with her account id, a minute later
    const fresh = p.alerts().filter((a) => a.ruleId === "mcp-new-tool");
    expect(fresh.map((a) => [a.title, a.userId])).toEqual([
      ["New MCP tool jiraBulkOps (unknown class) used by Mallory", null],
    ]);
  }, 60_000);

  it("an AI tool nobody used before raises mcp-first-use, once", async () => {
    const p = await pipeline();
    const withApp = (call: ReturnType<typeof p.call>) => {
      (call.attributes.actor as Record<string, unknown>).app = {
        id: "app-new",
        type: "oauth-app",
        attributes: { name: "Shadow Agent" },
      };
      return call;
    };
    await p.feed([
      withApp(p.call({ person: noId("Mallory", "mallory@acme.test"), tool: "getJiraIssue" })),
    ]);
    await p.feed([withApp(p.call({ tool: "getJiraIssue" }))]);
    const apps = p
      .alerts()
      .filter((a) => a.ruleId === "mcp-first-use" && a.title.includes("Shadow Agent"));
    expect(apps.map((a) => [a.title, a.userId])).toEqual([
      ["Mallory's first MCP call with Shadow Agent, an AI tool new to the organization", null],
    ]);
  }, 60_000);
});

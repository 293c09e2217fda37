import { describe, expect, it } from "vitest";
import { pipeline } from "./rig.js";

/**
 * An app authorized or removed is an act about the MCP app, never a call made through it, though
 * its message mentions MCP: neither a person's first MCP call nor one that makes their real first
 * call look seen before.
 */ const nina = { id: "acct-nina-new", name: "Nina Newcomer", email: "nina@acme.test" };
const app = { id: "app-mcp", type: "app", attributes: { name: "Atlassian MCP" } };

describe("the MCP app's removal", () => {
  it("(an uninstall its message says is of MCP) is stored as no MCP call and raises no 'First MCP call'", async () => {
    const p = await pipeline();
    const removal = p.call({
      person: nina,
      action: "oauth_app_uninstalled",
      context: [app],
      message: "Nina Newcomer uninstalled Atlassian MCP from acme.atlassian.net",
    });
    (removal.attributes.actor as Record<string, unknown>).app = undefined;
    await p.feed([removal]);
    const row = p.event(removal.id);
    expect([row.is_mcp, row.tool]).toEqual([0, null]); // stored, and no MCP call
    const firstUse = p.alerts().filter((a) => a.ruleId === "mcp-first-use");
    expect(firstUse.map((a) => a.title)).toEqual([]);
  }, 60_000);
});

describe("a person's first real call after authorizing the MCP app", () => {
  it("is still their first MCP call (the authorization is 'not a call')", async () => {
    const p = await pipeline();
    const authorization = p.call({
      person: nina,
      action: "mcp_app_authorized",
      context: [app],
      message: "nina@acme.test authorized Atlassian MCP for acme.atlassian.net",
    });
    (authorization.attributes.actor as Record<string, unknown>).app = undefined;
    await p.feed([authorization]);
    expect(p.alerts().map((a) => a.ruleId)).toContain("mcp-app-authorized");
    // A minute later, Nina's AI tool makes her first real tool call.
    await p.feed([p.call({ person: nina, tool: "getJiraIssue" })]);
    const firstUse = p.alerts().filter((a) => a.ruleId === "mcp-first-use" && a.userId === nina.id);
    expect(firstUse.map((a) => a.title)).toEqual(["First MCP call by Nina Newcomer"]);
  }, 60_000);

  it("is told when it is an AI tool's usual opening call (getAccessibleAtlassianResources)", async () => {
    const p = await pipeline();
    const authorization = p.call({
      person: nina,
      action: "mcp_app_authorized",
      context: [app],
      message: "nina@acme.test authorized Atlassian MCP for acme.atlassian.net",
    });
    (authorization.attributes.actor as Record<string, unknown>).app = undefined;
    await p.feed([authorization]);
    await p.feed([p.call({ person: nina, tool: "getAccessibleAtlassianResources" })]);
    const firstUse = p.alerts().filter((a) => a.ruleId === "mcp-first-use" && a.userId === nina.id);
    expect(firstUse.map((a) => a.title)).toEqual(["First MCP call by Nina Newcomer"]);
  }, 60_000);
});

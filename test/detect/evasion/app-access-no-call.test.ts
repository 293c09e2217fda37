import { describe, expect, it } from "vitest";
import { pipeline } from "./rig.js";

/**
 * An app authorized or removed is an act about the MCP app, never a call made through it, though
 * its message mentions MCP: neither a person's first MCP call nor one that makes their real first
 * call look seen before.
 */
const nina = { id: "acct-nina-new", name: "Nina Newcomer", email: "nina@acme.test" };
const app = { id: "app-mcp", type: "app", attributes: { name: "Atlassian MCP" } };

type Pipeline = Awaited<ReturnType<typeof pipeline>>;

/** Nina's act on the MCP app, named in its message and an item, by no AI tool. */
function appAccess(p: Pipeline, action: string, message: string) {
  const event = p.call({ person: nina, action, context: [app], message });
  (event.attributes.actor as Record<string, unknown>).app = undefined;
  return event;
}

const firstUses = (p: Pipeline) =>
  p
    .alerts()
    .filter((a) => a.ruleId === "mcp-first-use" && a.userId === nina.id)
    .map((a) => a.title);

describe("the MCP app's removal", () => {
  it("(an uninstall its message says is of MCP) is stored as no MCP call and raises no 'First MCP call'", async () => {
    const p = await pipeline();
    const removal = appAccess(
      p,
      "oauth_app_uninstalled",
      "Nina Newcomer uninstalled Atlassian MCP from acme.atlassian.net",
    );
    await p.feed([removal]);
    const row = p.event(removal.id);
    expect([row.is_mcp, row.tool]).toEqual([0, null]); // stored, and no MCP call
    expect(firstUses(p)).toEqual([]);
  }, 60_000);
});

describe("a person's first real call after authorizing the MCP app", () => {
  const authorized = async (p: Pipeline) => {
    const message = "nina@acme.test authorized Atlassian MCP for acme.atlassian.net";
    await p.feed([appAccess(p, "mcp_app_authorized", message)]);
    expect(p.alerts().map((a) => a.ruleId)).toContain("mcp-app-authorized");
  };

  it("is still their first MCP call (the authorization is 'not a call')", async () => {
    const p = await pipeline();
    await authorized(p);
    // A minute later, Nina's AI tool makes her first real tool call.
    await p.feed([p.call({ person: nina, tool: "getJiraIssue" })]);
    expect(firstUses(p)).toEqual(["First MCP call by Nina Newcomer"]);
  }, 60_000);

  it("is told when it is an AI tool's usual opening call (getAccessibleAtlassianResources)", async () => {
    const p = await pipeline();
    await authorized(p);
    await p.feed([p.call({ person: nina, tool: "getAccessibleAtlassianResources" })]);
    expect(firstUses(p)).toEqual(["First MCP call by Nina Newcomer"]);
  }, 60_000);
});

describe("an unlisted call whose key names a tool with an app-access word", () => {
  it("is still a guessed MCP call (removeJiraIssueLink is no app removed)", async () => {
    const p = await pipeline();
    const call = p.call({
      person: nina,
      action: "rovo_mcp_tool_call_removeJiraIssueLink",
      tool: "removeJiraIssueLink",
      message: "Nina Newcomer removed a link from OPS-7 through the Rovo MCP server",
    });
    await p.feed([call]);
    const row = p.event(call.id);
    expect([row.is_mcp, row.tool]).toEqual([1, "removeJiraIssueLink"]);
    expect(firstUses(p)).toEqual(["First MCP call by Nina Newcomer"]);
  }, 60_000);
});

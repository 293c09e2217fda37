import { describe, expect, it } from "vitest";
import type { CatalogEntry } from "../../../src/simulator/catalog.js";
import { DAY, MINUTE, pipeline, uid } from "./rig.js";

/**
 * Atlassian adds actions as it adds controls (the Rovo MCP server's settings are new). The action
 * catalogue is fetched at start and daily: a settings change whose action is newer than the last
 * fetch must still be recognised by its name once the catalogue knows it, not lost for good.
 */
describe("a settings change whose action is newer than the stored action catalogue", () => {
  it("is alerted on, at the latest once the catalogue is fetched again", async () => {
    const p = await pipeline();
    const key = "rovo_mcp_api_token_auth_enabled";
    const displayName = "Rovo MCP server API token authentication enabled";
    // Atlassian ships the new control an hour after the bot's daily fetch.
    (p.r.sim.org.catalog as CatalogEntry[]).push({
      id: key,
      type: "event-actions",
      attributes: { displayName, groupDisplayName: "Rovo" },
    });
    p.r.clock.advance(60 * MINUTE);
    const change = {
      id: uid(),
      type: "events",
      attributes: {
        time: new Date(p.r.clock.now() - 10_000).toISOString(),
        action: key,
        actor: { id: "acct-mallory", name: "Mallory", email: "mallory@acme.test" },
        context: [],
        container: [p.site],
      },
      message: { content: `${displayName} by Mallory`, format: "simple" },
    };
    await p.feed([change]);
    // A day on: the catalogue is fetched again and names the action.
    p.r.clock.advance(DAY);
    await p.feed([]);
    const stored = p.event(change.id);
    const mine = p.alerts().filter((a) => a.userId === "acct-mallory");
    expect({
      storedAsToolCall: stored.is_mcp,
      alerts: mine.map((a) => ({ rule: a.ruleId, notify: a.notify })),
    }).toEqual({
      storedAsToolCall: 0,
      alerts: [{ rule: "mcp-settings-changed", notify: true }],
    });
  }, 120_000);
});

describe("an unlisted settings change whose message names its control in its own words", () => {
  const cases = [
    ["rovo_mcp_server_off", "Alice turned off the Rovo MCP server"],
    ["rovo_mcp_delete_tools", "Rovo MCP delete tools enabled by Alice"],
    ["rovo_mcp_api_key_revoked", "Rovo MCP server API key revoked by Alice"],
    ["rovo_mcp_allowed_domains", "Allowed domains for the Rovo MCP server updated by Alice"],
    ["rovo_mcp_connected_app", "Connected app removed from Rovo MCP by Alice"],
    ["rovo_mcp_access_off", "Rovo MCP access turned off by Alice"],
    ["rovo_mcp_access", "Alice disabled Rovo MCP access"],
    ["rovo_mcp_server_access_off", "Rovo MCP server access disabled by Alice"],
    ["mcp_server_access_off", "MCP server access turned off by Alice"],
    ["rovo_mcp_server_access", "Alice disabled access to the Rovo MCP server"],
    ["rovo_mcp_server_access_on", "Rovo MCP server access was enabled by Alice"],
  ] as const;
  for (const [action, message] of cases) {
    it(`is no MCP call: "${message}"`, async () => {
      const p = await pipeline();
      const change = p.call({
        action,
        message,
        person: { id: "acct-alice", name: "Alice", email: "alice@acme.test" },
      });
      await p.feed([change]);
      expect(p.event(change.id).is_mcp).toBe(0);
    }, 60_000);
  }
});

describe("an unlisted MCP action whose message says a tool changed someone's access", () => {
  for (const message of [
    "Mallory enabled access for bob@acme.test on OPS-1 through the Rovo MCP server",
    "Mallory used Claude through Rovo MCP: page access disabled for the Finance space",
    // A page's title is the person's text: a read of it is a call, whatever the title says.
    'Mallory read the page "Guest access enabled: checklist" with Claude through the Rovo MCP server',
  ]) {
    it(`stays a guessed MCP call, alerted: "${message}"`, async () => {
      const p = await pipeline();
      const call = p.call({
        action: "rovo_mcp_jira_write",
        message,
        context: [{ type: "jira-issue", attributes: { issueKey: "OPS-1" } }],
      });
      await p.feed([call]);
      const row = p.event(call.id);
      expect([row.is_mcp, row.mcp_basis]).toEqual([1, "guessed"]);
      expect(p.alerts().some((a) => a.ruleId === "mcp-unknown-action")).toBe(true);
    }, 60_000);
  }
});

describe("an unlisted MCP action whose message says what the tool did, not its name", () => {
  it("is kept as a guessed MCP call, and the admin asked to add its key", async () => {
    const p = await pipeline();
    const call = p.call({
      action: "rovo_mcp_tool_invoked",
      message: "Mallory updated OPS-1 with Claude through the Rovo MCP server",
      context: [{ type: "jira-issue", attributes: { issueKey: "OPS-1" } }],
    });
    await p.feed([call]);
    const row = p.event(call.id);
    expect([row.is_mcp, row.mcp_basis]).toEqual([1, "guessed"]);
    expect(p.alerts().some((a) => a.ruleId === "mcp-unknown-action")).toBe(true);
  }, 60_000);
});

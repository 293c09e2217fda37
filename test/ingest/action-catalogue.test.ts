import { describe, expect, it } from "vitest";
import { DEFAULT_MCP_ACTION_KEY } from "../../src/simulator/catalog.js";
import { DAY, MINUTE, type Rig, rig } from "./setup.js";

let n = 0;
/** An admin's action under `action`, with the message Atlassian would write for it. */
function adminEvent(r: Rig, action: string, message: string, context: unknown[] = []) {
  return {
    id: `cccccccc-0000-4000-8000-${String(++n).padStart(12, "0")}`,
    type: "events",
    attributes: {
      time: new Date(r.clock.now() - 10_000).toISOString(),
      action,
      actor: { id: "acct-mallory", name: "Mallory", email: "mallory@acme.test" },
      context,
      container: [],
    },
    message: { content: message, format: "simple" },
  };
}

/** Injects the events, moves a minute on and polls. */
async function feed(r: Rig, ...events: unknown[]) {
  r.sim.injectEvents(events);
  r.clock.advance(MINUTE);
  await r.poller.pollOnce();
}

const catalogueFetches = (r: Rig) =>
  r.sim.requests.filter((q) => q.path.endsWith("/event-actions")).length;

const stored = (r: Rig, id: string) =>
  r.db.prepare("SELECT is_mcp, mcp_basis FROM events WHERE id = ?").get(id);

function addAction(r: Rig, id: string, displayName: string, groupDisplayName: string) {
  (r.sim.org.catalog as unknown[]).push({
    id,
    type: "event-actions",
    attributes: { displayName, groupDisplayName },
  });
}

describe("the action catalogue", () => {
  it("names no settings change of the Rovo MCP server as an MCP call", async () => {
    const r = await rig({ hours: 1 });
    await r.poller.pollOnce();
    const change = adminEvent(
      r,
      "rovo_mcp_permissions_updated",
      "Mallory updated Rovo MCP server permissions",
    );
    await feed(r, change);
    expect(stored(r, change.id)).toEqual({ is_mcp: 0, mcp_basis: null });
    expect(r.poller.health().mcpActionKeys).toEqual([DEFAULT_MCP_ACTION_KEY]);
  });

  it("is fetched again, before the page is stored, for each action it lacks: once a minute at most", async () => {
    const r = await rig({ hours: 1 });
    await r.poller.pollOnce();
    expect(catalogueFetches(r)).toBe(1);
    // Atlassian ships a new control after the bot's fetch; its first change arrives.
    r.clock.advance(10 * MINUTE);
    const key = "rovo_mcp_api_token_auth_enabled";
    addAction(r, key, "Rovo MCP server API token authentication enabled", "Rovo");
    const change = adminEvent(
      r,
      key,
      "Rovo MCP server API token authentication enabled by Mallory",
    );
    await feed(r, change);
    expect(catalogueFetches(r)).toBe(2);
    expect(stored(r, change.id)).toEqual({ is_mcp: 0, mcp_basis: null });
    expect(
      r.db.prepare("SELECT display_name FROM event_actions WHERE action = ?").pluck().get(key),
    ).toBe("Rovo MCP server API token authentication enabled");
    // Another unlisted action a minute later: fetched for too.
    await feed(r, adminEvent(r, "brand_new_a", "Something happened"));
    expect(catalogueFetches(r)).toBe(3);
    // Two in one page, a minute later: one fetch for both.
    await feed(
      r,
      adminEvent(r, "brand_new_b", "Something else happened"),
      adminEvent(r, "brand_new_c", "And something else"),
    );
    expect(catalogueFetches(r)).toBe(4);
  });

  it("that cannot be fetched again does not stop the poll, nor make a settings change an MCP call", async () => {
    const r = await rig({ hours: 1 });
    await r.poller.pollOnce();
    (r.sim.org.catalog as unknown[]).push({ id: 5 }); // /event-actions now answers what it must not
    r.clock.advance(10 * MINUTE);
    const change = adminEvent(
      r,
      "rovo_mcp_api_token_auth_enabled",
      "Rovo MCP server API token authentication enabled by Mallory",
    );
    // An unlisted action whose event names its tool is still taken for a call, a guess.
    const call = adminEvent(
      r,
      "rovo_mcp_tool_invoked",
      "Rovo MCP server: Claude called getJiraIssue",
    );
    await feed(r, change, call);
    expect(r.logs.text()).toContain(
      "could not fetch the action catalogue (/event-actions) for an action it lacks",
    );
    expect(stored(r, change.id)).toEqual({ is_mcp: 0, mcp_basis: null });
    expect(stored(r, call.id)).toEqual({ is_mcp: 1, mcp_basis: "guessed" });
  });

  it("that cannot be stored fails the poll for the database, and is stored once it can be, not read again", async () => {
    const r = await rig({ hours: 1 });
    r.db.pragma("query_only = ON"); // the database cannot be written (a full disk, a read-only file)
    await expect(r.poller.pollOnce()).rejects.toMatchObject({ code: "SQLITE_READONLY" });
    // Not an unreachable API: the stored catalogue is not taken for the next ten polls.
    expect(r.logs.text()).not.toContain("could not fetch the action catalogue");
    // Each poll tried again within seconds while the database fails: the catalogue is read once.
    for (const seconds of [1, 2, 4]) {
      r.clock.advance(seconds * 1000);
      await expect(r.poller.pollOnce()).rejects.toMatchObject({ code: "SQLITE_READONLY" });
    }
    expect(catalogueFetches(r)).toBe(1);
    r.db.pragma("query_only = OFF");
    r.clock.advance(MINUTE);
    await r.poller.pollOnce();
    expect(catalogueFetches(r)).toBe(1);
    expect(r.poller.health().mcpActionKeys).toEqual([DEFAULT_MCP_ACTION_KEY]);
    expect(r.count()).toBeGreaterThan(0);
  });

  it("kept unstored for a day is read again rather than stored a day old", async () => {
    const r = await rig({ hours: 1 });
    r.db.pragma("query_only = ON");
    await expect(r.poller.pollOnce()).rejects.toMatchObject({ code: "SQLITE_READONLY" });
    r.db.pragma("query_only = OFF");
    r.clock.advance(DAY);
    await r.poller.pollOnce();
    expect(catalogueFetches(r)).toBe(2);
    expect(r.poller.health().mcpActionKeys).toEqual([DEFAULT_MCP_ACTION_KEY]);
  });

  it("is not fetched again for a configured key it never lists", async () => {
    // The documented case for mcpActionKeys: /event-actions omits the MCP action, the admin adds it.
    const r = await rig({ hours: 1, poller: { extraMcpKeys: [DEFAULT_MCP_ACTION_KEY] } });
    const catalog = r.sim.org.catalog as unknown as Array<{ id: string }>;
    catalog.splice(
      catalog.findIndex((entry) => entry.id === DEFAULT_MCP_ACTION_KEY),
      1,
    );
    await r.poller.pollOnce();
    const afterStart = catalogueFetches(r);
    for (let i = 0; i < 60; i++) {
      r.clock.advance(MINUTE);
      await r.poller.pollOnce();
    }
    expect(r.db.prepare("SELECT count(*) FROM events WHERE is_mcp = 1").pluck().get()).not.toBe(0);
    expect(catalogueFetches(r)).toBe(afterStart);
  });

  it("is fetched again for a key a fetch showed missing only an hour later", async () => {
    const r = await rig({ hours: 1 });
    await r.poller.pollOnce();
    r.clock.advance(10 * MINUTE);
    const call = () => adminEvent(r, "rovo_mcp_tool_invoked", "Claude called getJiraIssue");
    await feed(r, call());
    expect(catalogueFetches(r)).toBe(2);
    for (let i = 0; i < 5; i++) {
      r.clock.advance(10 * MINUTE);
      await feed(r, call());
    }
    expect(catalogueFetches(r)).toBe(2); // 55 minutes on
    r.clock.advance(10 * MINUTE);
    await feed(r, call());
    expect(catalogueFetches(r)).toBe(3);
  });
});

import { expect, it } from "vitest";
import { MINUTE, rig } from "./setup.js";

it("an MCP app authorization the catalogue lists is no tool call, and no MCP action key", async () => {
  const r = await rig({ hours: 1 });
  (r.sim.org.catalog as unknown[]).push({
    id: "mcp_app_authorized",
    type: "event-actions",
    attributes: { displayName: "Atlassian MCP app authorized", groupDisplayName: "Connected apps" },
  });
  await r.poller.pollOnce();
  const event = {
    id: "eeeeeeee-0000-4000-8000-000000000001",
    type: "events",
    attributes: {
      time: new Date(r.clock.now() - 10_000).toISOString(),
      action: "mcp_app_authorized",
      actor: { id: "acct-bob", name: "Bob" },
      context: [],
      container: [],
    },
    message: { content: "Bob authorized Atlassian MCP", format: "simple" },
  };
  r.sim.injectEvents([event]);
  r.clock.advance(MINUTE);
  await r.poller.pollOnce();
  const row = r.db.prepare("SELECT is_mcp, mcp_basis FROM events WHERE id = ?").get(event.id);
  expect(row).toEqual({ is_mcp: 0, mcp_basis: null });
  expect(r.poller.health().mcpActionKeys).not.toContain("mcp_app_authorized");
});

import { describe, expect, it } from "vitest";
import { DEFAULT_MCP_ACTION_KEY } from "../../src/simulator/index.js";
import { DAY, MINUTE, rig } from "./setup.js";

const warnings = (r: Awaited<ReturnType<typeof rig>>) =>
  r.logs
    .lines()
    .filter((line) => line.level === 40)
    .map((line) => String(line.msg));

describe("the action catalogue changing under the bot", () => {
  it("an empty /event-actions answer is a failed fetch: said, and the stored catalogue kept", async () => {
    const r = await rig({ hours: 1 });
    await r.poller.pollOnce();
    (r.sim.org.catalog as unknown[]).splice(0);
    r.clock.advance(DAY + MINUTE);
    await r.poller.pollOnce();
    expect(warnings(r)).toEqual([
      "could not fetch the action catalogue (/event-actions); using the stored one",
    ]);
    expect(r.logs.text()).toContain("GET /event-actions answered no action at all");
    expect(r.poller.health().mcpActionKeys).toEqual([DEFAULT_MCP_ACTION_KEY]);
  });

  it("a renamed MCP key: the one no longer listed is no current key, and its stored calls stay MCP", async () => {
    const r = await rig({ hours: 1 });
    await r.poller.pollOnce();
    const storedCalls = () =>
      r.count(`is_mcp = 1 AND action = '${DEFAULT_MCP_ACTION_KEY}' AND seq <= ${last}`);
    const last = (r.db.prepare("SELECT max(seq) AS seq FROM events").get() as { seq: number }).seq;
    const before = storedCalls();
    expect(before).toBeGreaterThan(0);
    // Read before the change too: what health shows is worked out once per catalogue built.
    expect(r.poller.health().mcpActionKeys).toEqual([DEFAULT_MCP_ACTION_KEY]);
    const row = (r.sim.org.catalog as unknown as { id: string }[]).find(
      (entry) => entry.id === DEFAULT_MCP_ACTION_KEY,
    );
    if (!row) throw new Error("no MCP action in the simulator's catalogue");
    row.id = "rovo_tool_invoked";
    r.clock.advance(DAY + MINUTE);
    await r.poller.pollOnce();
    expect(r.poller.health().mcpActionKeys).toEqual(["rovo_tool_invoked"]);
    expect(storedCalls()).toBe(before);
    expect(warnings(r)).toContainEqual(
      `the action catalogue (/event-actions) no longer lists the MCP action(s) ${DEFAULT_MCP_ACTION_KEY}: no longer shown as current; events stored under them stay MCP calls`,
    );
  });
});

import { describe, expect, it } from "vitest";
import { firstTimers } from "../../../src/store/first-timers.js";
import { pipeline } from "./rig.js";

describe("a newcomer whose MCP call names its tool where mcp-activity does not look", () => {
  it("raises mcp-first-use, as the digest counts them a first-time person", async () => {
    const p = await pipeline();
    const since = p.r.clock.now() - 60_000;
    const newcomer = { id: "acct-newcomer", name: "Nina Newcomer", email: "nina@acme.test" };
    // Listed as MCP in /event-actions, its tool in an item whose type and keys do not say "tool":
    // Atlassian does not publish where the tool name sits.
    const call = p.call({
      person: newcomer,
      context: [
        { id: "op-1", type: "rovo-mcp-action", attributes: { name: "getConfluencePage" } },
        { type: "confluence-page", attributes: { pageId: "77", spaceKey: "HR" } },
      ],
    });
    await p.feed([call]);
    const row = p.event(call.id);
    expect([row.is_mcp, row.tool]).toEqual([1, null]);
    const digest = firstTimers(p.r.db, p.r.sim.orgId, since, p.r.clock.now() + 1, undefined);
    expect(digest.firstTimers.map((f) => f.name)).toContain("Nina Newcomer");
    const aboutNina = p.alerts().filter((a) => a.userId === "acct-newcomer");
    expect(aboutNina.map((a) => [a.ruleId, a.title, a.notify])).toEqual([
      ["mcp-first-use", "First MCP call by Nina Newcomer", true],
    ]);
  }, 60_000);
});

/**
 * Calls stored promptly under an action Atlassian's catalogue lists as MCP only days later: their
 * alerts, raised when the rules judge them again, are late news, and a person's first call is not
 * said twice. The real pipeline (see rig.ts).
 */
import { describe, expect, it } from "vitest";
import { DAY, MINUTE, pipeline } from "./rig.js";

const KEY = "rovo_agent_tool_invoked";
type Pipeline = Awaited<ReturnType<typeof pipeline>>;

/** Atlassian's catalogue lists KEY as MCP from now on. */
function list(p: Pipeline): void {
  (p.r.sim.org.catalog as unknown[]).push({
    id: KEY,
    type: "event-actions",
    attributes: { displayName: "Tool called", groupDisplayName: "Rovo MCP User Actions" },
  });
}

const toolItem = (name: string) => ({ id: name, type: "tool", attributes: { name } });

describe("an action listed as MCP days after its calls were stored", () => {
  it("raises a destructive call's alert once, marked late", async () => {
    const p = await pipeline();
    const call = p.call({ action: KEY, context: [toolItem("deleteConfluencePage")] });
    await p.feed([call]);
    expect(p.event(call.id).is_mcp).toBe(0);
    list(p);
    p.r.clock.advance(2 * DAY);
    await p.feed([]);
    await p.feed([]);
    const seq = p.event(call.id).seq;
    const destructive = p
      .alerts()
      .filter((a) => a.firstEventSeq === seq && a.ruleId === "mcp-destructive");
    expect(destructive.map((a) => [a.late, a.createdAt - a.firstSeen > DAY])).toEqual([
      [true, true],
    ]);
  }, 60_000);

  it("does not say a person's first call twice when their later calls were judged first", async () => {
    const p = await pipeline();
    const first = p.call({ action: KEY, context: [toolItem("getConfluencePage")] });
    await p.feed([first]);
    p.r.clock.advance(2 * DAY);
    await p.feed([p.call({ tool: "getConfluencePage" })]);
    const firsts = () =>
      p.alerts().filter((a) => a.ruleId === "mcp-first-use" && a.userId === "acct-mallory");
    expect(firsts()).toHaveLength(1);
    list(p);
    p.r.clock.advance(DAY + MINUTE);
    await p.feed([]);
    await p.feed([]);
    expect(p.event(first.id).is_mcp).toBe(1);
    expect(firsts()).toHaveLength(1);
  }, 60_000);

  it("says a person's first call when the call listed late is their only one", async () => {
    const p = await pipeline();
    const only = p.call({ action: KEY, context: [toolItem("getConfluencePage")] });
    await p.feed([only]);
    list(p);
    p.r.clock.advance(DAY);
    await p.feed([]);
    await p.feed([]);
    const seq = p.event(only.id).seq;
    const firsts = p
      .alerts()
      .filter((a) => a.ruleId === "mcp-first-use" && a.userId === "acct-mallory");
    expect(firsts.map((a) => [a.firstEventSeq === seq, a.late])).toEqual([[true, true]]);
  }, 60_000);
});

import { describe, expect, it } from "vitest";
import { pipeline } from "./rig.js";

// A product declared with no class allows nothing: a call in it contradicts the posture, whether
// its event names a tool or not.
const POSTURE = "posture:\n  products: { jira: [read, search], confluence: [] }\n";
const confluence = { id: "prod-c", type: "product", attributes: { productKey: "confluence" } };

describe("a declared product that allows nothing", () => {
  it("is contradicted by a call in it that names no tool, as by one that does", async () => {
    const p = await pipeline(POSTURE);
    const toolless = p.call({ context: [confluence] });
    const named = p.call({ tool: "getConfluencePage", context: [confluence] });
    await p.feed([toolless, named]);
    const drift = (id: string) => {
      const ev = p.event(id);
      return p
        .alerts()
        .filter((a) => a.lastEventSeq === ev.seq && a.ruleId === "mcp-posture-drift")
        .map((a) => a.detail.contradiction);
    };
    expect([p.event(toolless.id).tool, p.event(toolless.id).product]).toEqual([null, "confluence"]);
    expect(drift(toolless.id)).toEqual(["products.confluence.no-tool"]);
    const title = p
      .alerts()
      .find(
        (a) => a.lastEventSeq === p.event(toolless.id).seq && a.ruleId === "mcp-posture-drift",
      )?.title;
    expect(title).toMatch(
      /^observed an MCP call naming no tool in confluence although your posture says confluence allows nothing: check /,
    );
    expect(drift(named.id)).toEqual(["products.confluence.read"]);
  }, 60_000);
});

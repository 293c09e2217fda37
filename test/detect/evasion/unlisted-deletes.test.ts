import { describe, expect, it } from "vitest";
import { pipeline } from "./rig.js";

/**
 * A destructive tool the catalogue does not list, named only by its verb, beside a name it does
 * list: a read in a page title, or the write wrapper that ran it. docs/architecture.md: a label can
 * only make a call look more dangerous, never less.
 */
describe("an unlisted destructive tool beside a listed read or a write wrapper", () => {
  it('"purgeConfluenceSpaceTrash called through … on page “getConfluencePage how-to”" is the purge', async () => {
    const p = await pipeline();
    // The simulator's second message shape: "<tool> called through the Rovo MCP server by <who> …".
    const call = p.call({
      message:
        "purgeConfluenceSpaceTrash called through the Rovo MCP server by Mallory on page “getConfluencePage how-to”",
    });
    await p.feed([call]);
    const row = p.event(call.id);
    expect([row.is_mcp, row.tool, row.tool_class]).toEqual([
      1,
      "purgeConfluenceSpaceTrash",
      "destructive",
    ]);
    expect(p.alerts().filter((a) => a.ruleId === "mcp-destructive")).toHaveLength(1);
  }, 60_000);

  it('"called executeWrite: purgeConfluenceSpaceTrash" is a destructive call', async () => {
    const p = await pipeline();
    // The simulator's first shape for a wrapper: "<who> called <wrapper>: <operation> on <resource>".
    const call = p.call({
      message:
        "Rovo MCP server: Mallory called executeWrite: purgeConfluenceSpaceTrash on space OPS",
    });
    await p.feed([call]);
    const row = p.event(call.id);
    expect([row.tool, row.tool_class]).toEqual(["purgeConfluenceSpaceTrash", "destructive"]);
    expect(p.alerts().filter((a) => a.ruleId === "mcp-destructive")).toHaveLength(1);
  }, 60_000);
});

import { describe, expect, it } from "vitest";
import { mcpUnknownAction } from "../../../src/detect/rules/mcp-unknown-action.js";
import { context, mcpEvent } from "../fixtures.js";

describe("mcp-unknown-action", () => {
  it("raises when an action is MCP only by a guess", () => {
    const hit = mcpUnknownAction.evaluate(
      mcpEvent({ mcpBasis: "guessed", action: "rovo_mcp_new" }),
      {},
      {},
      context,
    );
    expect(hit?.title).toBe("Unlisted action rovo_mcp_new treated as MCP");
  });

  it("is silent for catalogued and configured actions", () => {
    expect(
      mcpUnknownAction.evaluate(mcpEvent({ mcpBasis: "catalog" }), {}, {}, context),
    ).toBeNull();
    expect(mcpUnknownAction.evaluate(mcpEvent({ mcpBasis: "config" }), {}, {}, context)).toBeNull();
  });
});

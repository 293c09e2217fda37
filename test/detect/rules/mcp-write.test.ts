import { describe, expect, it } from "vitest";
import { mcpWrite } from "../../../src/detect/rules/mcp-write.js";
import { context, mcpEvent } from "../fixtures.js";

describe("mcp-write", () => {
  it("raises on a write tool, naming tool and person", () => {
    const hit = mcpWrite.evaluate(
      mcpEvent({ tool: "createJiraIssue", toolClass: "write" }),
      {},
      {},
      context,
    );
    expect(hit).toEqual({
      title: "createJiraIssue by Alice Example",
      detail: { tool: "createJiraIssue", resource: "OPS-1" },
    });
  });

  it("is silent for reads, searches and destructive calls, and for non-MCP events", () => {
    for (const toolClass of ["read", "search", "destructive"] as const) {
      expect(mcpWrite.evaluate(mcpEvent({ toolClass }), {}, {}, context)).toBeNull();
    }
    expect(
      mcpWrite.evaluate(mcpEvent({ isMcp: false, toolClass: "write" }), {}, {}, context),
    ).toBeNull();
  });
});

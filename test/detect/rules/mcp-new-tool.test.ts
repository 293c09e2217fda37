import { describe, expect, it } from "vitest";
import { mcpNewTool } from "../../../src/detect/rules/mcp-new-tool.js";
import { context, mcpEvent } from "../fixtures.js";

const seen = (before: boolean, history = true) => ({ toolSeen: { before, history } });
const newTool = mcpEvent({ tool: "createJiraProject", toolClass: "admin" });

describe("mcp-new-tool", () => {
  it("raises on a tool no earlier call in the organization used", () => {
    const hit = mcpNewTool.evaluate(newTool, seen(false), {}, context);
    expect(hit?.title).toBe("New MCP tool createJiraProject (admin) used by Alice Example");
    expect(hit?.detail).toMatchObject({ tool: "createJiraProject", class: "admin" });
  });

  it("names a wrapper's operation and a guessed tool as such", () => {
    const wrapped = mcpEvent({
      tool: "executeWrite",
      toolClass: "write",
      innerTool: "createJiraIssueLink",
    });
    expect(mcpNewTool.evaluate(wrapped, seen(false), {}, context)?.title).toBe(
      "New MCP tool executeWrite → createJiraIssueLink (write) used by Alice Example",
    );
    const guessed = mcpEvent({ tool: "frobnicate", toolClass: null, toolGuessed: true });
    expect(mcpNewTool.evaluate(guessed, seen(false), {}, context)?.title).toBe(
      "New MCP tool frobnicate (guessed from the message) (unknown class) used by Alice Example",
    );
  });

  it("is silent for a tool seen before", () => {
    expect(mcpNewTool.evaluate(newTool, seen(true), {}, context)).toBeNull();
  });

  it("is silent with no earlier call at all: the first calls are the baseline", () => {
    expect(mcpNewTool.evaluate(newTool, seen(false, false), {}, context)).toBeNull();
  });

  it("is silent without the facts, a tool, or for an event that is not MCP", () => {
    expect(mcpNewTool.evaluate(newTool, {}, {}, context)).toBeNull();
    expect(mcpNewTool.evaluate(mcpEvent({ tool: null }), seen(false), {}, context)).toBeNull();
    expect(
      mcpNewTool.evaluate(mcpEvent({ ...newTool, isMcp: false }), seen(false), {}, context),
    ).toBeNull();
  });
});

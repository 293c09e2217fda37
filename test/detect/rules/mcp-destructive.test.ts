import { describe, expect, it } from "vitest";
import { mcpDestructive } from "../../../src/detect/rules/mcp-destructive.js";
import { classifyTool } from "../../../src/ingest/tools.js";
import { context, mcpEvent } from "../fixtures.js";

describe("mcp-destructive", () => {
  it("raises on a destructive tool, including one never seen, classified by its verb", () => {
    const tool = "purgeConfluenceSpaceTrash";
    expect(classifyTool(tool)).toBe("destructive");
    const hit = mcpDestructive.evaluate(
      mcpEvent({ tool, toolClass: classifyTool(tool) }),
      {},
      {},
      context,
    );
    expect(hit?.title).toBe("purgeConfluenceSpaceTrash by Alice Example");
  });

  it("raises on an admin tool, and says when the tool was guessed from the message", () => {
    const admin = mcpEvent({ tool: "createJiraProject", toolClass: "admin" });
    expect(mcpDestructive.evaluate(admin, {}, {}, context)?.title).toBe(
      "createJiraProject by Alice Example",
    );
    const guessed = mcpEvent({
      tool: "deleteJiraIssue",
      toolClass: "destructive",
      toolGuessed: true,
    });
    expect(mcpDestructive.evaluate(guessed, {}, {}, context)?.title).toBe(
      "deleteJiraIssue (guessed from the message) by Alice Example",
    );
  });

  it("is silent for writes and reads", () => {
    expect(mcpDestructive.evaluate(mcpEvent({ toolClass: "write" }), {}, {}, context)).toBeNull();
    expect(mcpDestructive.evaluate(mcpEvent(), {}, {}, context)).toBeNull();
  });
});

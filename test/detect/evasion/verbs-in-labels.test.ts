import { describe, expect, it } from "vitest";
import { pipeline } from "./rig.js";

/**
 * Token labels and page titles are chosen by people and share the message with the tool's name;
 * snake_case labels and camelCase titles are common, and the classifier's verbs (archive, purge)
 * are ordinary words in them. A read must stay a read (docs/architecture.md: a name read from its
 * verb alone, anywhere but after "called", never outranks the tool the message says was called).
 */
const issue = [{ type: "jira-issue", attributes: { issueKey: "OPS-1" } }];

describe("a read named only by the message, beside a label or title holding a dangerous verb", () => {
  it("is stored as the read, a guess, for an API token labelled nightly_archive_export", async () => {
    const p = await pipeline();
    // The simulator's own message shape for a token's call: "API token <label> called <tool>".
    const call = p.call({
      message: "Rovo MCP server: API token nightly_archive_export called getJiraIssue on OPS-1",
      context: issue,
      auth: { authType: "api-token", tokenId: "tok-1", tokenLabel: "nightly_archive_export" },
    });
    await p.feed([call]);
    const row = p.event(call.id);
    expect([row.is_mcp, row.tool, row.tool_class]).toEqual([1, "getJiraIssue", "read"]);
    expect(p.alerts().filter((a) => a.ruleId === "mcp-destructive")).toEqual([]);
  }, 60_000);

  it("is stored as the read for a page titled purgeStaleBackups", async () => {
    const p = await pipeline();
    const call = p.call({
      message: "Rovo MCP server: Claude called getConfluencePage on page “purgeStaleBackups”",
    });
    await p.feed([call]);
    const row = p.event(call.id);
    expect([row.tool, row.tool_class]).toEqual(["getConfluencePage", "read"]);
    expect(p.alerts().filter((a) => a.ruleId === "mcp-destructive")).toEqual([]);
  }, 60_000);
});

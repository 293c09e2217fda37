import { describe, expect, it } from "vitest";
import { toolFromMessage } from "../../src/ingest/tool-in-message.js";
import { DEFAULT_TOOLS, toolCatalogue } from "../../src/ingest/tools.js";

const read = (message: string) => toolFromMessage(message, DEFAULT_TOOLS);

describe("the tool a message names", () => {
  it("takes the one tool name in the text, wherever it sits", () => {
    expect(read("Rovo MCP server: Claude called getJiraIssue on OPS-1")).toEqual({
      tool: "getJiraIssue",
      innerTool: null,
      guessed: false,
    });
    expect(read("deleteJiraIssue called through the Rovo MCP server by Bob")).toEqual({
      tool: "deleteJiraIssue",
      innerTool: null,
      guessed: false,
    });
  });

  it("is not fooled by a token label named after a harmless tool", () => {
    // The label "getConfluencePage" comes first; the call was a delete.
    expect(
      read("Rovo MCP server: API token getConfluencePage called deleteConfluencePage"),
    ).toEqual({ tool: "deleteConfluencePage", innerTool: null, guessed: true });
  });

  it("takes the most dangerous of several names, and says it is a guess", () => {
    expect(
      read("Rovo MCP server: Cursor called getJiraIssue on page “How to createJiraProject”"),
    ).toEqual({ tool: "createJiraProject", innerTool: null, guessed: true });
  });

  it("between names of the same class, prefers the one the message says was called", () => {
    expect(read("Rovo MCP server: API token getJiraIssue called getConfluencePage")).toEqual({
      tool: "getConfluencePage",
      innerTool: null,
      guessed: true,
    });
  });

  it("counts a plain word only where the message says it was called", () => {
    expect(read("Rovo MCP server: Claude called search")).toMatchObject({ tool: "search" });
    expect(read("Rovo MCP server: Claude called getJiraIssue on page “search tips”")).toEqual({
      tool: "getJiraIssue",
      innerTool: null,
      guessed: false,
    });
  });

  it("names a wrapper by itself and the operation beside it as its inner tool", () => {
    expect(read("Rovo MCP server: Claude called executeWrite (createJiraIssueLink)")).toEqual({
      tool: "executeWrite",
      innerTool: "createJiraIssueLink",
      guessed: false,
    });
    // The wrapper's class is its own, whatever the text says beside it.
    expect(read("API token getJiraIssue called executeDestructive")).toMatchObject({
      tool: "executeDestructive",
      guessed: false,
    });
  });

  it("never lets a wrapper's name in a title or label make a more dangerous call look less", () => {
    expect(
      read("Rovo MCP server: Claude called deleteConfluencePage on executeWrite notes"),
    ).toEqual({ tool: "deleteConfluencePage", innerTool: null, guessed: true });
    expect(read("API token executeWrite sync called deleteJiraIssue on OPS-1")).toMatchObject({
      tool: "deleteJiraIssue",
      guessed: true,
    });
    expect(read("Claude called executeDestructive (deleteJiraIssue)")).toEqual({
      tool: "executeDestructive",
      innerTool: "deleteJiraIssue",
      guessed: false,
    });
  });

  it("reads a tool the catalogue does not list where the message says it was called", () => {
    expect(read("Rovo MCP server: Claude called jira_delete_issue on OPS-2")).toEqual({
      tool: "jira_delete_issue",
      innerTool: null,
      guessed: false,
    });
    expect(read("API token getJiraIssue called bulkDeleteJiraIssues on OPS-7")).toEqual({
      tool: "bulkDeleteJiraIssues",
      innerTool: null,
      guessed: true,
    });
    // People and apps beside "called" are not tools, even one named after a verb.
    expect(read("Rovo MCP server: ChatGPT called getJiraIssue")).toMatchObject({ guessed: false });
    expect(read("Grant called getJiraIssue on OPS-1")).toMatchObject({ guessed: false });
  });

  it("knows every verb of the classifier in a name that starts with one", () => {
    expect(read("archiveJiraProject called through the Rovo MCP server by Bob")).toEqual({
      tool: "archiveJiraProject",
      innerTool: null,
      guessed: false,
    });
  });

  it("never lets a label or title read by its verb alone outrank the tool the message says was called", () => {
    // Not in the catalogue and not after "called": the label or the title, which only makes a guess.
    expect(read("Rovo MCP server: API token nightly_archive_export called getJiraIssue")).toEqual({
      tool: "getJiraIssue",
      innerTool: null,
      guessed: true,
    });
    expect(
      read("Rovo MCP server: Claude called getConfluencePage on page “purgeStaleBackups”"),
    ).toEqual({ tool: "getConfluencePage", innerTool: null, guessed: true });
    expect(
      read("Rovo MCP server: Cursor called getJiraIssue on page “How to archiveJiraProject”"),
    ).toEqual({ tool: "getJiraIssue", innerTool: null, guessed: true });
    // Nor stands in for a called name that cannot be read.
    expect(read("API token nightly_archive_export called frobnicateBoards")).toBeNull();
  });

  it('takes the name before "called" as the tool when no tool name follows a "called"', () => {
    // "X called through …" is passive: X is the tool, whatever a page title beside it lists.
    expect(
      read(
        "purgeConfluenceSpaceTrash called through the Rovo MCP server by Mallory on page “getConfluencePage how-to”",
      ),
    ).toEqual({ tool: "purgeConfluenceSpaceTrash", innerTool: null, guessed: true });
    expect(
      read("bulkDeleteJiraIssues was called by Mallory on issue “getJiraIssue is slow”"),
    ).toEqual({ tool: "bulkDeleteJiraIssues", innerTool: null, guessed: true });
  });

  it("lets a write wrapper give way to any more dangerous name beside it, listed or not", () => {
    // The wrapper's own class is the least it ran: the delete beside it may be that operation.
    expect(
      read("Rovo MCP server: Mallory called executeWrite: purgeConfluenceSpaceTrash on space OPS"),
    ).toEqual({ tool: "purgeConfluenceSpaceTrash", innerTool: null, guessed: true });
    expect(read("Claude called executeWrite on page “purgeStaleBackups”")).toEqual({
      tool: "purgeStaleBackups",
      innerTool: null,
      guessed: true,
    });
  });

  it("says it is a guess when a name the message says was called is read as no tool", () => {
    expect(read("API token getJiraIssue called frobnicateBoards on OPS-1")).toEqual({
      tool: "getJiraIssue",
      innerTool: null,
      guessed: true,
    });
    expect(read("Claude called frobnicateBoards")).toBeNull();
  });

  it("reads a repeated name as one, and no name as none", () => {
    expect(read("getJiraIssue called: getJiraIssue")).toMatchObject({ guessed: false });
    expect(read("Rovo MCP server tool call from Claude")).toBeNull();
    expect(read("")).toBeNull();
  });

  it("knows the rules file's tools", () => {
    const tools = toolCatalogue({ frobnicateBoard: { class: "destructive" } });
    expect(toolFromMessage("Claude called frobnicateBoard", tools)).toEqual({
      tool: "frobnicateBoard",
      innerTool: null,
      guessed: false,
    });
    expect(toolFromMessage("Claude called frobnicateBoard", DEFAULT_TOOLS)).toBeNull();
  });

  it("reads a message of any length in one pass (a long word once held the event loop for 30 s)", () => {
    // Read letter by letter from every start, these would take hours; in one pass, milliseconds.
    expect(read("x".repeat(200_000))).toBeNull();
    expect(read(`${"a ".repeat(100_000)}called deleteJiraIssue`)).toMatchObject({
      tool: "deleteJiraIssue",
    });
  });
});

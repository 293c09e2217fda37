import { describe, expect, it } from "vitest";
import { mcpNewScope, scopeName } from "../../../src/detect/rules/mcp-new-scope.js";
import { DAY } from "../../../src/time-units.js";
import { context, mcpEvent, T0 } from "../fixtures.js";

const s = { historyDays: 14 };
const scopes = (opened: string[], days: number) => ({
  scopes: { firstCall: T0 - days * DAY, opened },
});

describe("mcp-new-scope", () => {
  it("raises on a first call into a space, project, site or product after 14 days of history", () => {
    const hit = mcpNewScope.evaluate(
      mcpEvent(),
      scopes(["project:acme.atlassian.net/SEC", "site:acme.atlassian.net"], 30),
      s,
      context,
    );
    expect(hit?.title).toBe(
      "Alice Example's first MCP call into project SEC on acme.atlassian.net, site acme.atlassian.net, after 30 days of MCP use",
    );
    expect(hit?.detail).toMatchObject({ historyDays: 30, tool: "getJiraIssue" });
  });

  it("is silent when the call opened nothing, without facts, and for events that are not MCP", () => {
    expect(mcpNewScope.evaluate(mcpEvent(), scopes([], 30), s, context)).toBeNull();
    expect(mcpNewScope.evaluate(mcpEvent(), {}, s, context)).toBeNull();
    const notMcp = mcpEvent({ isMcp: false });
    expect(mcpNewScope.evaluate(notMcp, scopes(["product:jira"], 30), s, context)).toBeNull();
  });

  it("at the edge: exactly 14 days of history alerts, a moment less does not; newcomers never", () => {
    expect(
      mcpNewScope.evaluate(mcpEvent(), scopes(["product:jira"], 14), s, context),
    ).not.toBeNull();
    const almost = { scopes: { firstCall: T0 - 14 * DAY + 1, opened: ["product:jira"] } };
    expect(mcpNewScope.evaluate(mcpEvent(), almost, s, context)).toBeNull();
    const none = { scopes: { firstCall: null, opened: ["product:jira"] } };
    expect(mcpNewScope.evaluate(mcpEvent(), none, s, context)).toBeNull();
    expect(
      mcpNewScope.evaluate(mcpEvent(), scopes(["product:jira"], 3), { historyDays: 2 }, context),
    ).not.toBeNull();
  });

  it("names scopes for people", () => {
    expect(scopeName("space:acme.atlassian.net/HR")).toBe("space HR on acme.atlassian.net");
    expect(scopeName("space:/HR")).toBe("space HR");
    expect(scopeName("product:confluence")).toBe("product confluence");
  });
});

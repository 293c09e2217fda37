import { describe, expect, it } from "vitest";
import { mcpApiToken } from "../../../src/detect/rules/mcp-api-token.js";
import { context, mcpEvent } from "../fixtures.js";

describe("mcp-api-token", () => {
  it("raises on an MCP call made with an API token, naming the token", () => {
    const event = mcpEvent({
      authKind: "api-token",
      userName: "svc-reporting",
      tokenLabel: "weekly-bot",
    });
    expect(mcpApiToken.evaluate(event, {}, {}, context)).toEqual({
      title: "MCP call with an API token as svc-reporting",
      detail: { tool: "getJiraIssue", token: "weekly-bot" },
    });
  });

  it("is silent for OAuth calls and for API-token use outside MCP", () => {
    expect(mcpApiToken.evaluate(mcpEvent(), {}, {}, context)).toBeNull();
    expect(
      mcpApiToken.evaluate(mcpEvent({ isMcp: false, authKind: "api-token" }), {}, {}, context),
    ).toBeNull();
  });
});

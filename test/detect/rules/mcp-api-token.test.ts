import { describe, expect, it } from "vitest";
import { mcpApiToken } from "../../../src/detect/rules/mcp-api-token.js";
import { DAY, HOUR } from "../../../src/time-units.js";
import { context, mcpEvent, T0 } from "../fixtures.js";

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

  it("says a spike, and counts it once an account a day in its pattern", () => {
    const event = mcpEvent({ authKind: "api-token", userName: "svc-sync", userId: "acc-svc" });
    const spike = { volume: { lastHour: 150, perHourBefore: 2 } };
    expect(mcpApiToken.evaluate(event, spike, {}, context)).toMatchObject({
      title: "Spike of MCP calls with an API token as svc-sync: 150 in an hour",
      figure: 150,
    });
    const pattern = (time: number, facts = spike) =>
      mcpApiToken.subject?.(mcpEvent({ ...event, time }), facts);
    expect(pattern(T0 + 5 * HOUR)).toBe(pattern(T0));
    expect(pattern(T0 + DAY)).not.toBe(pattern(T0));
    // Three times its usual: an account busy all week has no spike at 150.
    const usual = { volume: { lastHour: 150, perHourBefore: 60 } };
    expect(mcpApiToken.evaluate(event, usual, {}, context)?.title).toBe(
      "MCP call with an API token as svc-sync",
    );
    expect(pattern(T0, usual)).not.toBe(pattern(T0));
  });
});

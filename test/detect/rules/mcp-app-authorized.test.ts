import { describe, expect, it } from "vitest";
import { mcpAppAuthorized } from "../../../src/detect/rules/mcp-app-authorized.js";
import { context, mcpEvent } from "../fixtures.js";

const authorized = {
  action: {
    action: "oauth_app_authorized",
    displayName: "OAuth app authorized",
    groupName: "Connected apps",
  },
};
const raw = (name: string) =>
  JSON.stringify({
    id: "x",
    attributes: { context: [{ id: "a", type: "app", attributes: { name } }] },
  });

describe("mcp-app-authorized", () => {
  it("raises when the Atlassian MCP app is authorized on a site", () => {
    const event = mcpEvent({
      isMcp: false,
      action: "oauth_app_authorized",
      raw: raw("Atlassian MCP"),
      userName: "Bob",
    });
    expect(mcpAppAuthorized.evaluate(event, authorized, {}, context)).toEqual({
      title: "Bob authorized Atlassian MCP on acme.atlassian.net",
      detail: { app: "Atlassian MCP", site: "acme.atlassian.net" },
    });
  });

  it("recognises the app from the message when no item names it", () => {
    const event = mcpEvent({
      action: "oauth_app_authorized",
      message: "Bob authorized Atlassian MCP for acme",
    });
    expect(mcpAppAuthorized.evaluate(event, authorized, {}, context)?.title).toContain(
      "authorized the Atlassian MCP app",
    );
  });

  it("is silent for other apps and for actions that authorize nothing", () => {
    const slack = mcpEvent({ action: "oauth_app_authorized", raw: raw("Slack") });
    expect(mcpAppAuthorized.evaluate(slack, authorized, {}, context)).toBeNull();
    const login = mcpEvent({ action: "user_logged_in", raw: raw("Atlassian MCP") });
    const loginInfo = {
      action: { action: "user_logged_in", displayName: "User logged in", groupName: null },
    };
    expect(mcpAppAuthorized.evaluate(login, loginInfo, {}, context)).toBeNull();
  });

  it("is silent when the app is removed: uninstalled, deauthorized, its consent revoked", () => {
    for (const [action, displayName] of [
      ["oauth_app_uninstalled", "OAuth app uninstalled"],
      ["oauth_app_deauthorized", "OAuth app deauthorized"],
      ["oauth_app_consent_revoked", "OAuth app consent revoked"],
      ["oauth_app_authorization_removed", "OAuth app authorization removed"],
    ] as const) {
      const event = mcpEvent({ isMcp: false, action, raw: raw("Atlassian MCP") });
      const info = { action: { action, displayName, groupName: "Connected apps" } };
      expect(mcpAppAuthorized.evaluate(event, info, {}, context)).toBeNull();
      expect(mcpAppAuthorized.evaluate(event, {}, {}, context)).toBeNull();
    }
  });
});

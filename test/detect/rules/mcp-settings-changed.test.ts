import { describe, expect, it } from "vitest";
import { mcpSettingsChanged } from "../../../src/detect/rules/mcp-settings-changed.js";
import { isSettingsAction } from "../../../src/domain/settings-action.js";
import { isMcpAction } from "../../../src/ingest/classify.js";
import { context, mcpEvent } from "../fixtures.js";

const none = mcpSettingsChanged.settings.parse({});
const action = (displayName: string, groupName: string | null = null) => ({
  action: { action: "k", displayName, groupName },
});

describe("mcp-settings-changed", () => {
  it.each([
    ["Data security policy updated", "Data security policies"],
    ["Connected apps settings updated", "Connected apps"],
    ["Rovo MCP server domain allowlist updated", "AI settings"],
    ["Rovo MCP server authentication settings updated", "Rovo"],
    ["Rovo MCP server permissions updated", "Rovo"],
    ["Organization API key created", "API keys"],
    ["IP allowlist updated", "Security"],
    ["User-installed apps setting updated", "Connected apps"],
    ["Data security policy deactivated", "Data security policies"],
    ["IP allowlist turned off", "Security"],
    ["AI domain allowlist updated", null],
    ["Allowed domains for AI tools updated", null],
    ["Rovo MCP server turned off", "Rovo"],
    ["Rovo turned off", "Rovo"],
    ["Rovo settings updated", "Rovo"],
  ])("recognises %s", (name, group) => {
    expect(isSettingsAction(name, group)).toBe(true);
  });

  it.each([
    ["OAuth app authorized", "Connected apps"],
    ["Tool called", "Rovo MCP User Actions"],
    ["User logged in", "User authentication"],
    ["API token created", null],
    ["Page created", "Confluence"],
    ["App installed", "Connected apps"],
    ["App uninstalled", "Connected apps"],
    ["User authorized an app", "Connected apps"],
    ["User consented to app scopes", "Connected apps"],
    ["IP allowlist viewed", "Security"],
    ["Rovo agent created", "Rovo"],
    ["Rovo chat created", "Rovo"],
    ["Conversation deleted", "Rovo"],
    ["Knowledge source added", "Rovo"],
    ["Rovo MCP server address viewed", "Rovo"],
    ["Jira issue created", "Rovo"],
  ])("does not take %s for a settings change", (name, group) => {
    expect(isSettingsAction(name, group)).toBe(false);
  });

  it("raises with the action's name, and keeps it (it says which control changed)", () => {
    const event = mcpEvent({ isMcp: false, action: "dsp_updated", userName: "Çarol Ñúñez" });
    const found = mcpSettingsChanged.evaluate(
      event,
      action("Data security policy updated"),
      none,
      context,
    );
    expect(found?.title).toBe("Data security policy updated by Çarol Ñúñez");
    expect(found?.detail).toMatchObject({
      action: "dsp_updated",
      name: "Data security policy updated",
    });
  });

  it("raises nothing for an MCP call, whatever its action's name", () => {
    const event = mcpEvent({ action: "rovo_mcp_jira_issue_created" });
    const names = action("Jira issue created", "Rovo MCP User Actions");
    expect(mcpSettingsChanged.evaluate(event, names, none, context)).toBeNull();
  });

  it.each([
    ["Rovo MCP server permissions updated", "Rovo MCP server"],
    ["Delete Jira permission group turned on", "Rovo MCP server"],
    ["Rovo MCP server authentication settings updated", "Rovo MCP Admin Actions"],
  ])("raises for %s in %s: no MCP call, whatever its group", (name, group) => {
    const names = action(name, group);
    const event = mcpEvent({ isMcp: isMcpAction(names.action), userName: "Mallory" });
    expect(mcpSettingsChanged.evaluate(event, names, none, context)?.title).toBe(
      `${name} by Mallory`,
    );
  });

  it("raises on configured keys whatever their names", () => {
    const event = mcpEvent({ action: "weird_key" });
    const configured = mcpSettingsChanged.settings.parse({ actionKeys: ["weird_key"] });
    expect(mcpSettingsChanged.evaluate(event, {}, configured, context)?.title).toBe(
      "weird_key by Alice Example",
    );
    expect(mcpSettingsChanged.evaluate(event, {}, none, context)).toBeNull();
  });
});

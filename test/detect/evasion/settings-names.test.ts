import { describe, expect, it } from "vitest";
import type { CatalogEntry } from "../../../src/simulator/catalog.js";
import { DAY, MINUTE, pipeline, uid } from "./rig.js";

/**
 * A change to one of the controls docs/rules.md lists under `mcp-settings-changed` ("connected-app
 * settings, data security policies, … IP allowlists changed"), recognised by the action's display
 * name in `/event-actions`. Atlassian's names are not published: these are the controls of
 * reference/atlassian-audit-api.md's table, named the way the catalogue names its other actions.
 */
describe("a loosened control whose action name mcp-settings-changed must recognise", () => {
  const cases = [
    // The connected-apps control itself: "block or allow user-installed OAuth apps".
    ["connected_apps_user_installed", "User-installed apps setting updated", "Connected apps"],
    // Turning a data security policy off (Atlassian's UI: "Deactivate policy").
    ["dsp_deactivated", "Data security policy deactivated", "Data security policies"],
  ] as const;

  // The same rig recognises a new action whose name the rule's words fit (the catalogue refreshed).
  it("(control) raises for a new action named with the rule's words", async () => {
    await expectAlert(
      "dsp_rule_removed",
      "Data security policy rule removed",
      "Data security policies",
    );
  }, 120_000);

  for (const [key, displayName, groupDisplayName] of cases) {
    it(`raises a posted alert for "${displayName}"`, async () => {
      await expectAlert(key, displayName, groupDisplayName);
    }, 120_000);
  }
});

/**
 * Atlassian does not publish its groups: the controls sit under "Rovo → Rovo MCP server"
 * (reference/atlassian-audit-api.md), so a catalogue may group them under a name with MCP, beside
 * the server's calls. The group must not make such a change an MCP call that raises nothing.
 */
describe("a control of the Rovo MCP server, its action in a group whose name mentions MCP", () => {
  const cases = [
    ["rovo_mcp_permissions_updated", "Rovo MCP server permissions updated", "Rovo MCP server"],
    ["rovo_mcp_delete_group_on", "Delete Jira permission group turned on", "Rovo MCP server"],
    [
      "rovo_mcp_auth_updated",
      "Rovo MCP server authentication settings updated",
      "Rovo MCP Admin Actions",
    ],
  ] as const;
  for (const [key, displayName, groupDisplayName] of cases) {
    it(`raises a posted alert for "${displayName}" in "${groupDisplayName}"`, async () => {
      await expectAlert(key, displayName, groupDisplayName);
    }, 120_000);
  }
});

describe("an action mcp-settings-changed must not take for a change to a control", () => {
  const addAction = (
    p: Awaited<ReturnType<typeof pipeline>>,
    id: string,
    displayName: string,
    groupDisplayName: string,
  ) =>
    (p.r.sim.org.catalog as CatalogEntry[]).push({
      id,
      type: "event-actions",
      attributes: { displayName, groupDisplayName },
    });
  const settingsAlerts = (p: Awaited<ReturnType<typeof pipeline>>) =>
    p
      .alerts()
      .filter((a) => a.ruleId === "mcp-settings-changed")
      .map((a) => a.title);

  it("raises nothing for a person's Rovo content: a chat, a knowledge source", async () => {
    const p = await pipeline();
    addAction(p, "rovo_chat_created", "Rovo chat created", "Rovo");
    addAction(p, "rovo_knowledge_source_added", "Knowledge source added", "Rovo");
    p.r.clock.advance(10 * MINUTE);
    const chat = p.call({ action: "rovo_chat_created", message: "Mallory created a Rovo chat" });
    const source = p.call({
      action: "rovo_knowledge_source_added",
      message: "Mallory added a knowledge source to a Rovo chat",
    });
    await p.feed([chat, source]);
    expect(settingsAlerts(p)).toEqual([]);
  }, 60_000);

  it("raises nothing for an MCP call whose action is named by its operation", async () => {
    const p = await pipeline();
    // In the admin UI's MCP group, so an MCP call (the group decides), counted, not a control.
    addAction(p, "rovo_mcp_jira_issue_created", "Jira issue created", "Rovo MCP User Actions");
    p.r.clock.advance(10 * MINUTE);
    const call = p.call({
      action: "rovo_mcp_jira_issue_created",
      tool: "createJiraIssue",
      context: [{ type: "jira-issue", attributes: { issueKey: "OPS-1" } }],
    });
    await p.feed([call]);
    expect(p.event(call.id).is_mcp).toBe(1);
    expect(settingsAlerts(p)).toEqual([]);
  }, 60_000);
});

async function expectAlert(key: string, displayName: string, groupDisplayName: string) {
  const p = await pipeline();
  (p.r.sim.org.catalog as CatalogEntry[]).push({
    id: key,
    type: "event-actions",
    attributes: { displayName, groupDisplayName },
  });
  // The action catalogue is fetched again daily.
  p.r.clock.advance(DAY);
  await p.r.poller.pollOnce();
  p.engine.run();
  const change = {
    id: uid(),
    type: "events",
    attributes: {
      time: new Date(p.r.clock.now() - 10_000).toISOString(),
      action: key,
      actor: { id: "acct-mallory", name: "Mallory", email: "mallory@acme.test" },
      context: [],
      container: [p.site],
    },
    message: { content: `${displayName} by Mallory`, format: "simple" },
  };
  await p.feed([change]);
  const alerts = p
    .alerts()
    .filter((a) => a.ruleId === "mcp-settings-changed" && a.userId === "acct-mallory");
  expect(alerts.map((a) => ({ title: a.title, notify: a.notify }))).toEqual([
    { title: `${displayName} by Mallory`, notify: true },
  ]);
}

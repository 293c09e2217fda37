/**
 * "Settings to change" on a settings-changed alert: the control that changed, then the audit log.
 * Real Bolt on 127.0.0.1, signed clicks, the fake Slack Web API, a real SQLite file.
 */
import { describe, expect, it } from "vitest";
import type { Alert } from "../../../src/domain/alert.js";
import { registerAlertActions } from "../../../src/slack/alerts/actions.js";
import { ACTIONS } from "../../../src/slack/blocks/alert-actions.js";
import { boltApp } from "../bolt.js";
import { CHANNEL, slackRig } from "../setup.js";

/** The reply to a responder's click on the Settings-to-change button of each alert raised. */
async function settingsFor(details: ReadonlyArray<Alert["detail"]>): Promise<string[]> {
  const r = await slackRig();
  r.slack.addUser({ id: "URESP", email: "resp@example.com" });
  r.slack.setMembers(CHANNEL, ["URESP"]);
  const b = await boltApp(r, (app, people) =>
    registerAlertActions(app, r.actionDeps({ responders: people })),
  );
  const ids = details.map((detail, i) =>
    r.raise(
      {
        ruleId: "mcp-settings-changed",
        groupKey: `mcp-settings-changed|${i}`,
        title: "A control changed by Bob Admin",
        detail,
        tools: [],
      },
      { action: String(detail.action), isMcp: false, tool: null, toolClass: null },
    ),
  );
  await r.poster.drain();
  const posted = r.slack.messages(CHANNEL);
  const replies: string[] = [];
  for (const [i, id] of ids.entries()) {
    const ts = posted[i]?.ts ?? "";
    const click = await b.click(ACTIONS.settings, "URESP", String(id), { channel: CHANNEL, ts });
    replies.push(await click.reply());
  }
  return replies;
}

/** The controls a reply names, in order. */
const named = (reply: string) => [...reply.matchAll(/^• \*([^*]+)\*/gm)].map((m) => m[1]);

describe("Settings to change for mcp-settings-changed", () => {
  it("names the control that changed first, by the action's name or else its key, then the audit log", async () => {
    const [allowlist, policy, apiKey] = await settingsFor([
      // An alert raised before the rule kept the action's name: its key says the control.
      { action: "rovo_mcp_domain_allowlist_updated", message: "Bob updated the allowlist" },
      { action: "k-9", name: "Data security policy deactivated", message: null },
      // An organization API key is none of the controls: the audit log alone.
      { action: "org_api_key_created", name: "Organization API key created", message: null },
    ]);
    expect(named(allowlist ?? "")).toEqual([
      "AI settings: Rovo MCP server domain allowlist",
      "Audit log: Rovo MCP User Actions",
    ]);
    expect(allowlist).toContain("_Apps → AI settings → Rovo MCP server_");
    expect(named(policy ?? "")).toEqual([
      "Data security policies: App access rule",
      "Audit log: Rovo MCP User Actions",
    ]);
    expect(named(apiKey ?? "")).toEqual(["Audit log: Rovo MCP User Actions"]);
  });
});

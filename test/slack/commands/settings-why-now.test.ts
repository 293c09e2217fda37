/**
 * Why each control matters now, in `/mcp-activity settings`: read from the stored events (the
 * history fetched on first start too, whatever rules are on), through real Bolt and SQLite.
 */
import { describe, expect, it } from "vitest";
import type { StoredEvent } from "../../../src/domain/event.js";
import { DAY, HOUR } from "../../../src/time-units.js";
import { normalizedEvent, T0 } from "../../detect/fixtures.js";
import { commandRig } from "./command-rig.js";

/** An admin's act (no MCP call) with its message in the raw JSON, as the audit log has it. */
const adminAct = (id: string, time: number, over: Partial<StoredEvent>) => {
  const event = normalizedEvent({
    id,
    time,
    isMcp: false,
    mcpBasis: null,
    tool: null,
    toolClass: null,
    product: null,
    resource: null,
    clientApp: null,
    userName: "Bob Admin",
    actorName: "Bob Admin",
    ...over,
  });
  return event;
};

const ask = async (r: Awaited<ReturnType<typeof commandRig>>, text: string) =>
  JSON.stringify(await (await r.command(text, "URESP")).body());

describe("/mcp-activity settings: why now", () => {
  it("counts the MCP app's authorizations in the stored events, the history fetched on first start too", async () => {
    const r = await commandRig([
      { time: T0 - HOUR },
      adminAct("auth-mcp", T0 - 2 * DAY, {
        action: "oauth_app_authorized",
        message: "Bob Admin authorized Atlassian MCP for https://acme.atlassian.net",
        backfilled: true,
      }),
      // Another app authorized, and the MCP app's consent revoked: not the MCP app authorized.
      adminAct("auth-other", T0 - 2 * DAY, {
        action: "oauth_app_authorized",
        message: "Bob Admin authorized Zapier for https://acme.atlassian.net",
      }),
      adminAct("revoked", T0 - DAY, {
        action: "oauth_app_consent_revoked",
        message: "Bob Admin revoked Atlassian MCP for https://acme.atlassian.net",
      }),
      // Before the week.
      adminAct("auth-old", T0 - 9 * DAY, {
        action: "oauth_app_authorized",
        message: "Bob Admin authorized Atlassian MCP for https://legal.atlassian.net",
      }),
    ]);
    // No alert was raised (the history is never alerted on): the events say it.
    expect(r.stores.alerts.list("org-1")).toEqual([]);
    const reply = await ask(r, "settings oauth");
    expect(reply).toContain("The Atlassian MCP app was authorized 1 time in the last 7 days.");
  });

  it("says a control changed this week: by whom and when, whether or not it was alerted on", async () => {
    const r = await commandRig([
      { time: T0 - HOUR },
      adminAct("auth", T0 - DAY, { action: "rovo_mcp_authentication_updated", backfilled: true }),
      adminAct("dsp-1", T0 - 3 * DAY, { action: "dsp_updated", userName: "Dan Admin" }),
      adminAct("dsp-2", T0 - 2 * DAY, { action: "dsp_updated", userName: "Carol <!channel>" }),
      // Viewing a setting changes nothing; nor does a change before the week.
      adminAct("viewed", T0 - DAY, { action: "ip_allowlist_viewed" }),
      adminAct("old", T0 - 9 * DAY, { action: "rovo_mcp_domain_allowlist_updated" }),
    ]);
    r.stores.eventActions.replace(
      "org-1",
      [
        {
          action: "rovo_mcp_authentication_updated",
          displayName: "Rovo MCP server authentication settings updated",
          groupName: "Rovo",
        },
        {
          action: "dsp_updated",
          displayName: "Data security policy updated",
          groupName: "Data security policies",
        },
        {
          action: "ip_allowlist_viewed",
          displayName: "IP allowlist viewed",
          groupName: "Security",
        },
        {
          action: "rovo_mcp_domain_allowlist_updated",
          displayName: "Rovo MCP server domain allowlist updated",
          groupName: "AI settings",
        },
      ],
      () => false,
      T0,
    );
    // A key the rules file lists (its name says nothing): the rule's alert makes it a change.
    r.raise(
      {
        ruleId: "mcp-settings-changed",
        groupKey: "mcp-settings-changed|k",
        title: "acme_ip_rules_saved by Erin Admin",
        detail: { action: "acme_ip_rules_saved", message: null },
        firstSeen: T0 - 4 * DAY,
        lastSeen: T0 - 4 * DAY,
        tools: [],
      },
      adminAct("listed", T0 - 4 * DAY, { action: "acme_ip_rules_saved", userName: "Erin Admin" }),
    );
    const reply = await ask(r, "settings");
    const date = (ms: number) => `<!date^${ms / 1000}^{date_short_pretty} {time}|`;
    expect(reply).toContain(
      `*Why now:* Changed by Bob Admin on ${date(T0 - DAY)}2026-11-03 10:00 UTC>: Rovo MCP server authentication settings updated.`,
    );
    expect(reply).toContain(
      `*Why now:* Changed 2 times in the last 7 days, last by Carol &lt;!channel&gt; on ${date(T0 - 2 * DAY)}2026-11-02 10:00 UTC>: Data security policy updated.`,
    );
    expect(reply).toContain(
      `*Why now:* Changed by Erin Admin on ${date(T0 - 4 * DAY)}2026-10-31 10:00 UTC>: acme_ip_rules_saved.`,
    );
    expect(reply).not.toContain("IP allowlist viewed");
    expect(reply).not.toContain("<!channel>");
    // The domain allowlist changed before the week: no reason now.
    expect(await ask(r, "settings domains")).not.toContain("Changed");
  });
});

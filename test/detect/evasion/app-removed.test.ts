import { describe, expect, it } from "vitest";
import { pipeline } from "./rig.js";

const app = { id: "app-mcp", type: "app", attributes: { name: "Atlassian MCP" } };

describe("the Atlassian MCP app removed from a site", () => {
  for (const action of [
    "oauth_app_uninstalled",
    "oauth_app_deauthorized",
    "oauth_app_consent_revoked",
    "oauth_app_authorization_deleted",
    "oauth_app_consent_withdrawn",
    "oauth_app_authorization_disabled",
    "oauth_app_authorization_expired",
    "oauth_app_consent_denied",
    "oauth_app_installation_cancelled",
  ]) {
    it(`${action} is stored but not alerted as authorizing it`, async () => {
      const p = await pipeline();
      const ev = p.call({ action, context: [app] });
      // An admin event, not a tool call: no OAuth app acts.
      (ev.attributes.actor as Record<string, unknown>).app = undefined;
      await p.feed([ev]);
      expect(p.event(ev.id)).toMatchObject({ action });
      expect(p.alerts().filter((a) => a.ruleId === "mcp-app-authorized")).toEqual([]);
    }, 60_000);
  }

  it("while its authorization is alerted (control)", async () => {
    const p = await pipeline();
    const ev = p.call({ action: "oauth_app_authorized", context: [app] });
    (ev.attributes.actor as Record<string, unknown>).app = undefined;
    await p.feed([ev]);
    expect(
      p
        .alerts()
        .filter((a) => a.ruleId === "mcp-app-authorized")
        .map((a) => a.title),
    ).toEqual(["Mallory authorized Atlassian MCP on acme.atlassian.net"]);
  }, 60_000);
});

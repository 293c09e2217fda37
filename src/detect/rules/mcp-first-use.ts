import { changesAppAccess } from "../../domain/app-access-action.js";
import { authorizedMcpApp } from "../../domain/mcp-app-authorization.js";
import type { Rule } from "../types.js";
import { overtaking, who } from "../types.js";
import { noSettings } from "./settings.js";

export const mcpFirstUse: Rule<Record<string, never>> = {
  id: "mcp-first-use",
  defaultSeverity: "medium",
  defaultEnabled: true,
  explanation:
    "Atlassian logs only the first authorization of the MCP app in a site: a person's first MCP call (or first on a site or product), or the first call of an AI tool nobody in the organization used before, is the only trace of an AI tool connected.",
  needs: ["seenBefore", "action"],
  // One alert a day per person: a newcomer's first sites and products follow in its thread, and
  // the person is asked once. A new AI tool is an alert of its own (its subject).
  defaultMode: { kind: "group", windowHours: 24 },
  settings: noSettings,
  evaluate(event, facts) {
    const seen = facts.seenBefore;
    // A call counts whatever its tool (Atlassian does not publish where its name sits).
    if (!event.isMcp || !seen) return null;
    // An API token's first calls (and first sites) are mcp-api-token's: one fact, one alert.
    if (event.authKind === "api-token") return null;
    // The MCP app authorized (mcp-app-authorized's) or removed: no call.
    if (authorizedMcpApp(event, facts.action) || changesAppAccess(event.action)) return null;
    const detail = {
      tool: event.tool,
      site: event.siteHost,
      product: event.product,
      app: event.clientApp,
    };
    const late = seen.overtakes ?? {};
    // A late first of both the person and an AI tool: the person's alert tells of them already,
    // the AI tool's names someone else as its first user: that one is corrected.
    const personFirst = !seen.user && (late.user === undefined || late.app === undefined);
    if (personFirst && event.userId)
      return overtaking(late.user, {
        title: `First MCP call by ${who(event)}`,
        detail: { ...detail, scope: "person" },
      });
    // Once per app in the organization, not per person who connects it: ahead of a first site or
    // product, which the alert's detail still names.
    if (!seen.app && event.clientApp) {
      return overtaking(late.app, {
        title: `${who(event)}'s first MCP call with ${event.clientApp}, an AI tool new to the organization`,
        detail: { ...detail, scope: "app" },
        subject: `app:${event.clientApp}`,
        aboutOrganization: true,
      });
    }
    // An event that names no account is no person's first anywhere, only an AI tool's.
    if (!event.userId) return null;
    if (!seen.site && event.siteHost) {
      return overtaking(late.site, {
        title: `${who(event)}'s first MCP call on ${event.siteHost}`,
        detail: { ...detail, scope: "site" },
      });
    }
    if (!seen.product && event.product) {
      return overtaking(late.product, {
        title: `${who(event)}'s first MCP call in ${event.product}`,
        detail: { ...detail, scope: "product" },
      });
    }
    return null;
  },
};

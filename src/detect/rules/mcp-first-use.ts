import type { Rule } from "../types.js";
import { who } from "../types.js";
import { noSettings } from "./settings.js";

export const mcpFirstUse: Rule<Record<string, never>> = {
  id: "mcp-first-use",
  defaultSeverity: "medium",
  defaultEnabled: true,
  explanation:
    "Atlassian logs only the first authorization of the MCP app in a site: a person's first MCP call (or first on a site or product) is the only trace of them connecting an AI tool.",
  needs: ["seenBefore"],
  // One alert a day per person: a newcomer's first sites and products follow in its thread, and
  // the person is asked once.
  defaultMode: { kind: "group", windowHours: 24 },
  settings: noSettings,
  evaluate(event, facts) {
    const seen = facts.seenBefore;
    if (!event.isMcp || !event.tool || !seen || !event.userId) return null;
    // An API token's first calls (and first sites) are mcp-api-token's: one fact, one alert.
    if (event.authKind === "api-token") return null;
    const detail = {
      tool: event.tool,
      site: event.siteHost,
      product: event.product,
      app: event.clientApp,
    };
    if (!seen.user)
      return { title: `First MCP call by ${who(event)}`, detail: { ...detail, scope: "person" } };
    if (!seen.site && event.siteHost) {
      return {
        title: `${who(event)}'s first MCP call on ${event.siteHost}`,
        detail: { ...detail, scope: "site" },
      };
    }
    if (!seen.product && event.product) {
      return {
        title: `${who(event)}'s first MCP call in ${event.product}`,
        detail: { ...detail, scope: "product" },
      };
    }
    return null;
  },
};

import { rawItems } from "../../domain/audit-fields.js";
import type { Rule } from "../types.js";
import { who } from "../types.js";
import { noSettings } from "./settings.js";

const AUTHORIZES = /authori[sz]|consent|install/i;
const MCP_APP = /\bmcp\b/i;

/** The app names an event's context and container items carry. */
function appNames(raw: string): string[] {
  return rawItems(raw).flatMap((item) => {
    const name = item.attributes.name;
    return typeof name === "string" ? [name] : [];
  });
}

export const mcpAppAuthorized: Rule<Record<string, never>> = {
  id: "mcp-app-authorized",
  defaultSeverity: "high",
  defaultEnabled: true,
  explanation:
    "The Atlassian MCP app was authorized in a site: AI tools can now act there with people's permissions. Atlassian logs only this first authorization; later people connecting are not logged.",
  needs: ["action"],
  settings: noSettings,
  evaluate(event, facts) {
    const name = facts.action?.displayName ?? event.action;
    if (!AUTHORIZES.test(name) && !AUTHORIZES.test(event.action)) return null;
    const mcpApp = appNames(event.raw).find((app) => MCP_APP.test(app));
    if (!mcpApp && !MCP_APP.test(event.message ?? "")) return null;
    const site = event.siteHost ?? "a site";
    return {
      title: `${who(event)} authorized ${mcpApp ?? "the Atlassian MCP app"} on ${site}`,
      detail: { app: mcpApp ?? null, site: event.siteHost },
    };
  },
};

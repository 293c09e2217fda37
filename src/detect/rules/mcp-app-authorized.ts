import { authorizedMcpApp } from "../../domain/mcp-app-authorization.js";
import type { Rule } from "../types.js";
import { who } from "../types.js";
import { noSettings } from "./settings.js";

export const mcpAppAuthorized: Rule<Record<string, never>> = {
  id: "mcp-app-authorized",
  defaultSeverity: "high",
  defaultEnabled: true,
  explanation:
    "The Atlassian MCP app was authorized in a site: AI tools can now act there with people's permissions. Atlassian logs only this first authorization; later people connecting are not logged.",
  needs: ["action"],
  settings: noSettings,
  evaluate(event, facts) {
    const authorized = authorizedMcpApp(event, facts.action);
    if (!authorized) return null;
    const site = event.siteHost ?? "a site";
    return {
      title: `${who(event)} authorized ${authorized.app ?? "the Atlassian MCP app"} on ${site}`,
      detail: { app: authorized.app, site: event.siteHost },
    };
  },
};

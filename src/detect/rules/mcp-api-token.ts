import type { Rule } from "../types.js";
import { who } from "../types.js";
import { noSettings } from "./settings.js";

export const mcpApiToken: Rule<Record<string, never>> = {
  id: "mcp-api-token",
  defaultSeverity: "medium",
  defaultEnabled: true,
  explanation:
    "An MCP call authenticated with an API token: it runs as the token's account, the real end user is unknown, and AI domain allowlists do not apply.",
  needs: [],
  settings: noSettings,
  evaluate(event) {
    if (!event.isMcp || event.authKind !== "api-token") return null;
    return {
      title: `MCP call with an API token as ${who(event)}`,
      detail: { tool: event.tool, token: event.tokenLabel },
    };
  },
};

import type { Rule } from "../types.js";
import { noSettings } from "./settings.js";

export const mcpUnknownAction: Rule<Record<string, never>> = {
  id: "mcp-unknown-action",
  defaultSeverity: "info",
  defaultEnabled: true,
  explanation:
    "An action Atlassian's catalogue does not list was treated as MCP only because its text mentions MCP: add its key to mcpActionKeys in the rules file if it is one.",
  needs: [],
  settings: noSettings,
  evaluate(event) {
    if (event.mcpBasis !== "guessed") return null;
    return {
      title: `Unlisted action ${event.action} treated as MCP`,
      detail: { action: event.action },
    };
  },
};

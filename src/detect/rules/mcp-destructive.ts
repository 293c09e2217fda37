import type { Rule } from "../types.js";
import { who } from "../types.js";
import { noSettings } from "./settings.js";

export const mcpDestructive: Rule<Record<string, never>> = {
  id: "mcp-destructive",
  defaultSeverity: "high",
  defaultEnabled: true,
  explanation:
    "An AI tool deleted, removed or administered something (tools Atlassian turns off by default).",
  needs: [],
  // One alert a day per person: each further destructive call is a reply in its thread.
  defaultMode: { kind: "group", windowHours: 24 },
  settings: noSettings,
  evaluate(event) {
    if (!event.isMcp || event.toolClass !== "destructive") return null;
    return {
      title: `${event.tool} by ${who(event)}`,
      detail: { tool: event.tool, resource: event.resource },
    };
  },
};

import type { Rule } from "../types.js";
import { toolLabel, who } from "../types.js";
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
    if (!event.isMcp || (event.toolClass !== "destructive" && event.toolClass !== "admin"))
      return null;
    return {
      title: `${toolLabel(event)} by ${who(event)}`,
      detail: { tool: event.tool, class: event.toolClass, resource: event.resource },
    };
  },
};

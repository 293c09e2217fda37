import type { Rule } from "../types.js";
import { toolLabel, who } from "../types.js";
import { noSettings } from "./settings.js";

export const mcpWrite: Rule<Record<string, never>> = {
  id: "mcp-write",
  defaultSeverity: "low",
  defaultEnabled: true,
  explanation:
    "An AI tool changed data (created, edited, transitioned, commented, logged work or linked) with this person's permissions.",
  needs: [],
  settings: noSettings,
  evaluate(event) {
    if (!event.isMcp || event.toolClass !== "write") return null;
    return {
      title: `${toolLabel(event)} by ${who(event)}`,
      detail: { tool: event.tool, resource: event.resource },
    };
  },
};

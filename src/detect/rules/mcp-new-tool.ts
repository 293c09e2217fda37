import type { Rule } from "../types.js";
import { overtaking, toolLabel, who } from "../types.js";
import { noSettings } from "./settings.js";

export const mcpNewTool: Rule<Record<string, never>> = {
  id: "mcp-new-tool",
  defaultSeverity: "medium",
  defaultEnabled: true,
  explanation:
    "An MCP tool never seen in this organization before: a new capability of the Rovo MCP server (or a renamed tool) is in use. Check its class, and whether the Rovo MCP server's permissions should allow it.",
  needs: ["toolSeen"],
  settings: noSettings,
  evaluate(event, facts) {
    const seen = facts.toolSeen;
    // Without earlier calls there is nothing to be new against: the first calls are the baseline.
    if (!event.isMcp || !event.tool || !seen || seen.before || !seen.history) return null;
    return overtaking(seen.overtakes, {
      title: `New MCP tool ${toolLabel(event)} (${event.toolClass ?? "unknown class"}) used by ${who(event)}`,
      detail: {
        tool: event.tool,
        class: event.toolClass,
        innerTool: event.innerTool,
        product: event.product,
      },
      // New to the organization, not to the person: no mute of theirs quiets it. The rules
      // file's suppressions, which name the rule, still do.
      aboutOrganization: true,
    });
  },
};

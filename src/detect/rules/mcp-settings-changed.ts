import { z } from "zod";
import { isSettingsAction } from "../../domain/settings-action.js";
import type { Rule } from "../types.js";
import { who } from "../types.js";

const settings = z.strictObject({
  /** Action keys that count as settings changes besides those recognised by name. */
  actionKeys: z.array(z.string().min(1, { error: "expected a non-empty action key" })).default([]),
});

export const mcpSettingsChanged: Rule<z.infer<typeof settings>> = {
  id: "mcp-settings-changed",
  defaultSeverity: "high",
  defaultEnabled: true,
  explanation:
    "A control over AI tool access changed: connected apps, data security policies, the MCP domain allowlist, MCP authentication or permissions, IP allowlists, or an organization API key.",
  needs: ["action"],
  settings,
  evaluate(event, facts, s) {
    const name = facts.action?.displayName ?? null;
    const listed = s.actionKeys.includes(event.action);
    // An MCP call is no change to a control, whatever its action's name ("Jira issue created" in
    // the MCP group); a key configured here is the admin's word and still counts.
    if (!listed && event.isMcp) return null;
    if (!listed && !isSettingsAction(name, facts.action?.groupName ?? null)) return null;
    return {
      title: `${name ?? event.action} by ${who(event)}`,
      // The name says which control changed (its Settings to change).
      detail: { action: event.action, name, message: event.message },
    };
  },
};

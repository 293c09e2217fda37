import { z } from "zod";
import type { Rule } from "../types.js";
import { who } from "../types.js";

const settings = z.strictObject({
  /** Action keys that count as settings changes besides those recognised by name. */
  actionKeys: z.array(z.string().min(1, { error: "expected a non-empty action key" })).default([]),
});

const CHANGE = /updat|chang|creat|delet|enabl|disabl|modif|add|remov|edit|revok/i;
const TOPIC = /connected app|data security polic|\bmcp\b|ai setting|api key|ip allowlist/i;
const NOT_A_SETTING = /authori[sz]|install|consent|tool call|logged in/i;

/** Whether an action's names say it changes one of the controls over MCP access. */
export function isSettingsAction(displayName: string | null, groupName: string | null): boolean {
  if (!displayName) return false;
  return (
    CHANGE.test(displayName) &&
    TOPIC.test(`${displayName} ${groupName ?? ""}`) &&
    !NOT_A_SETTING.test(displayName)
  );
}

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
    if (!listed && !isSettingsAction(name, facts.action?.groupName ?? null)) return null;
    return {
      title: `${name ?? event.action} by ${who(event)}`,
      detail: { action: event.action, message: event.message },
    };
  },
};

import type { Alert } from "../domain/alert.js";
import { CONTROLS, type Control, controlsForRule } from "./controls.js";

/**
 * The control a settings change changed, by the nouns that name it in the action's name (as
 * mcp-settings-changed recognises a change by its name): IP allowlists before the MCP domain
 * allowlist, as both are allowlists.
 */
const NOUNS: ReadonlyArray<readonly [RegExp, Control["id"]]> = [
  [/\bip\b/i, "ip"],
  [/data security polic/i, "policy"],
  [/connected apps?\b|user[- ]installed apps?\b/i, "oauth"],
  [/allowlist|allowed domains/i, "domains"],
  [/authentication|\bapi[- ]tokens?\b/i, "api-tokens"],
  [/\bpermissions?\b|\btools\b/i, "permissions"],
];

/**
 * Which control a change is of: told by the action's name in Atlassian's catalogue, else by the
 * words of its key (`rovo_mcp_domain_allowlist_updated`). Undefined when neither names one (an
 * organization API key created, Rovo turned off).
 */
export function changedControl(action: string, name: string | null): Control["id"] | undefined {
  for (const words of [name ?? "", action.replace(/[_.:-]+/g, " ")]) {
    const found = NOUNS.find(([nouns]) => nouns.test(words));
    if (found) return found[1];
  }
  return undefined;
}

/**
 * The controls that answer an alert: for a settings change, first the control it changed (by the
 * action and the name mcp-settings-changed keeps), then the rule's own (the audit log).
 */
export function controlsForAlert(alert: Pick<Alert, "ruleId" | "detail">): Control[] {
  const { ruleId, detail } = alert;
  const changed =
    ruleId === "mcp-settings-changed" && typeof detail.action === "string"
      ? changedControl(detail.action, typeof detail.name === "string" ? detail.name : null)
      : undefined;
  const first = CONTROLS.filter((c) => c.id === changed);
  return [...first, ...controlsForRule(ruleId).filter((c) => c.id !== changed)];
}

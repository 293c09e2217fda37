/**
 * Rules whose alerts are mostly about an admin's act (a control changed, the MCP app authorized),
 * not about MCP calls, which are all a query reads: `rule:` of them finds calls only when a rules
 * file lists an MCP call's key there. An empty answer says so, not "try a longer window". Pure.
 */
import type { Query } from "./types.js";

const ADMIN_ACT_RULES: readonly string[] = ["mcp-settings-changed", "mcp-app-authorized"];

/** Why an empty answer to a question of such rules is empty; undefined for any other question. */
export function adminActNote(query: Pick<Query, "rules">): string | undefined {
  const rules = query.rules.filter((rule) => ADMIN_ACT_RULES.includes(rule));
  if (rules.length === 0) return undefined;
  return `${rules.join(" and ")} alerts are mostly about an admin's act, not MCP calls, which queries read: they are in the alert channel, the digest and the App Home`;
}

import { CONTROLS } from "./controls.js";

/**
 * What keeps the MCP app out of one watched place: a data security policy with the App access
 * rule covering its space or project; a whole site needs the site's connected-apps setting.
 */
export function placeAdvice(kind: string, key: string, name: string): string | undefined {
  const policy = CONTROLS.find((c) => c.id === "policy");
  const oauth = CONTROLS.find((c) => c.id === "oauth");
  if (!policy || !oauth) return undefined;
  switch (kind) {
    case "space":
    case "project":
      return `Keep the MCP app out of ${name}: a data security policy covering ${kind} ${key} with the App access rule blocking apps (${policy.path}; ${policy.plan}).`;
    case "page":
      return `Keep the MCP app out of ${name}: a data security policy covering the space that holds page ${key}, with the App access rule blocking apps (${policy.path}; ${policy.plan}). Policies cover whole spaces: move the page to a covered space if its own space must stay open.`;
    case "issue":
      return `Keep the MCP app out of ${name}: a data security policy covering its project ${key.replace(/-\d+$/, "")}, with the App access rule blocking apps (${policy.path}; ${policy.plan}).`;
    case "site":
      return `Keep the MCP app out of ${name}: block user-installed OAuth apps on that site (${oauth.path}), or data security policies over its spaces and projects (${policy.path}).`;
    default:
      return undefined;
  }
}

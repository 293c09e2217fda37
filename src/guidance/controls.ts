/**
 * The Atlassian admin controls over AI tool access through the Rovo MCP server: where each is,
 * what it does, and what it does not cover. Pure data; the admin hub's deep paths beyond the
 * organization root are not published, so every control carries its navigation path.
 */
export interface Control {
  readonly id: "oauth" | "policy" | "domains" | "api-tokens" | "permissions" | "ip" | "audit";
  readonly name: string;
  readonly path: string;
  readonly does: string;
  readonly doesNot: string;
  readonly plan?: string;
}

export const CONTROLS: readonly Control[] = [
  {
    id: "oauth",
    name: "Connected apps: block or allow user-installed OAuth apps",
    path: "Apps → Sites → (site) → Site settings → Connected apps → Settings tab",
    does: "Stops people from installing any OAuth app (the Atlassian MCP app included) on that site.",
    doesNot: "It is all-or-nothing for OAuth apps, and does not stop API-token access.",
  },
  {
    id: "policy",
    name: "Data security policies: App access rule",
    path: "Security → Data protection → Data security policies",
    does: "Keeps the MCP app out of chosen spaces and projects.",
    doesNot: "Covers only the spaces and projects the policy names.",
    plan: "Atlassian Guard Standard",
  },
  {
    id: "domains",
    name: "AI settings: Rovo MCP server domain allowlist",
    path: "Apps → AI settings → Rovo MCP server",
    does: "Chooses which AI tools (by domain) may connect over OAuth.",
    doesNot: "All-or-nothing for the supported list, and does not apply to API-token use.",
  },
  {
    id: "api-tokens",
    name: "Rovo MCP server: API-token authentication",
    path: "Rovo → Rovo MCP server → Authentication",
    does: "Allows or forbids API tokens for MCP: token calls run as the token's account, so the real user is unknown.",
    doesNot: "Does not affect OAuth connections.",
  },
  {
    id: "permissions",
    name: "Rovo MCP server: permissions per product",
    path: "Rovo → Rovo MCP server → Permissions",
    does: "Turns read, write and search off per product; delete and manage stay off unless enabled.",
    doesNot: "Applies to every person alike.",
  },
  {
    id: "ip",
    name: "IP allowlists",
    path: "Security → IP allowlists",
    does: "Limits where requests may come from; applies to MCP calls too.",
    doesNot: "Does not tell AI tools from people.",
  },
  {
    id: "audit",
    name: "Audit log: Rovo MCP User Actions",
    path: 'Insights → Audit log (filter "Rovo MCP User Actions")',
    does: "Shows MCP tool calls with tool, action and user.",
    doesNot:
      "Logs only the first authorization of the MCP app in a site: later people connecting are not logged. Older versions of Atlassian's page say only OAuth tool calls are logged; a call made with an API token names the token's account, not the person.",
  },
];

/** The controls that answer each rule's alerts, most direct first. */
const FOR_RULE: Readonly<Record<string, readonly Control["id"][]>> = {
  "mcp-app-authorized": ["oauth", "domains", "policy"],
  "mcp-first-use": ["domains", "policy", "oauth"],
  "mcp-write": ["permissions", "policy"],
  "mcp-destructive": ["permissions", "policy"],
  "mcp-api-token": ["api-tokens"],
  "mcp-burst": ["permissions", "policy", "api-tokens"],
  "mcp-new-location": ["ip", "domains"],
  "mcp-off-hours": ["permissions", "ip"],
  "mcp-settings-changed": ["audit"],
  "mcp-unknown-action": ["audit"],
  "mcp-new-tool": ["permissions", "audit"],
  "api-token-created": ["api-tokens", "audit"],
  "two-step-disabled": ["api-tokens", "audit"],
  "org-admin-granted": ["audit"],
  "user-impersonated": ["api-tokens", "audit"],
  "auth-policy-changed": ["ip", "audit"],
  "mcp-watched-place": ["policy", "oauth"],
  "mcp-canary": ["policy", "permissions", "domains"],
  "mcp-posture-drift": ["permissions", "api-tokens", "oauth", "audit"],
  "mcp-new-scope": ["policy", "permissions"],
  "mcp-volume-spike": ["permissions", "policy", "api-tokens"],
};

export function controlsForRule(ruleId: string): Control[] {
  const ids = FOR_RULE[ruleId] ?? ["audit"];
  return ids.flatMap((id) => CONTROLS.filter((control) => control.id === id));
}

export function adminHubUrl(orgId: string): string {
  return `https://admin.atlassian.com/o/${encodeURIComponent(orgId)}/`;
}

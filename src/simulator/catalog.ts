/** Action keys the synthetic org emits, and the `/event-actions` catalog that describes them. */

export const DEFAULT_MCP_ACTION_KEY = "rovo_mcp_tool_called";

/** The "Atlassian MCP" app's first OAuth authorization in a site uses this key (other apps too). */
export const OAUTH_APP_AUTHORIZED = "oauth_app_authorized";

export const SETTINGS_ACTIONS = {
  dataSecurityPolicy: "data_security_policy_updated",
  connectedApps: "connected_apps_settings_updated",
  mcpDomainAllowlist: "rovo_mcp_domain_allowlist_updated",
  mcpAuthentication: "rovo_mcp_auth_settings_updated",
  mcpPermissions: "rovo_mcp_permissions_updated",
  orgApiKeyCreated: "org_api_key_created",
  ipAllowlist: "ip_allowlist_updated",
} as const;
export type SettingsAction = (typeof SETTINGS_ACTIONS)[keyof typeof SETTINGS_ACTIONS];

export const NOISE_ACTIONS = {
  loggedIn: "user_logged_in",
  addedToGroup: "user_added_to_group",
  removedFromGroup: "user_removed_from_group",
  pageCreated: "page_created",
  pageUpdated: "page_updated",
  projectSettings: "jira_project_settings_changed",
  spacePermissions: "space_permissions_changed",
  apiTokenCreated: "api_token_created",
  productAccess: "product_access_granted",
  userInvited: "user_invited",
} as const;

/** Identity events that often come before token misuse (Atlassian's keys are snake_case). */
export const PRECURSOR_ACTIONS = {
  twoStepDisabled: "twosv_disabled_for_user",
  orgAdminAdded: "added_org_admin",
  roleGranted: "user_granted_role",
  impersonated: "user_impersonation_started",
  authPolicy: "authentication_policy_updated",
} as const;

export interface CatalogEntry {
  readonly id: string;
  readonly type: "event-actions";
  readonly attributes: { readonly displayName: string; readonly groupDisplayName?: string };
}

/** [key, displayName, groupDisplayName?]; the MCP tool-call row is added by actionCatalog. */
const ROWS: readonly (readonly [string, string, string?])[] = [
  [OAUTH_APP_AUTHORIZED, "OAuth app authorized", "Connected apps"],
  [SETTINGS_ACTIONS.dataSecurityPolicy, "Data security policy updated", "Data security policies"],
  [SETTINGS_ACTIONS.connectedApps, "Connected apps settings updated", "Connected apps"],
  [SETTINGS_ACTIONS.mcpDomainAllowlist, "Rovo MCP server domain allowlist updated", "AI settings"],
  [SETTINGS_ACTIONS.mcpAuthentication, "Rovo MCP server authentication settings updated", "Rovo"],
  [SETTINGS_ACTIONS.mcpPermissions, "Rovo MCP server permissions updated", "Rovo"],
  [SETTINGS_ACTIONS.orgApiKeyCreated, "Organization API key created", "API keys"],
  [SETTINGS_ACTIONS.ipAllowlist, "IP allowlist updated", "Security"],
  [NOISE_ACTIONS.loggedIn, "User logged in", "User authentication"],
  [NOISE_ACTIONS.addedToGroup, "User added to group", "Group management"],
  [NOISE_ACTIONS.removedFromGroup, "User removed from group", "Group management"],
  [NOISE_ACTIONS.pageCreated, "Page created", "Confluence"],
  [NOISE_ACTIONS.pageUpdated, "Page updated", "Confluence"],
  [NOISE_ACTIONS.projectSettings, "Project settings changed", "Jira"],
  [NOISE_ACTIONS.spacePermissions, "Space permissions changed", "Confluence"],
  [NOISE_ACTIONS.apiTokenCreated, "API token created"],
  [NOISE_ACTIONS.productAccess, "Product access granted", "User management"],
  [NOISE_ACTIONS.userInvited, "User invited", "User management"],
  [PRECURSOR_ACTIONS.twoStepDisabled, "Two-step verification disabled for user", "Security"],
  [PRECURSOR_ACTIONS.orgAdminAdded, "Added organization admin", "User management"],
  [PRECURSOR_ACTIONS.roleGranted, "User granted role", "User management"],
  [PRECURSOR_ACTIONS.impersonated, "Logged in as another user", "User authentication"],
  [PRECURSOR_ACTIONS.authPolicy, "Authentication policy updated", "Security"],
  // In the catalog but never emitted, as in a real org's long list.
  ["user_deactivated", "User deactivated", "User management"],
  ["domain_verified", "Domain verified"],
  ["audit_log_exported", "Audit log exported", "Insights"],
];

/**
 * The catalog as `/event-actions` returns it; `mcpActionKey` is the tool-call action's key, and
 * `keyOf` the key each action is served under (an obfuscated org: none of the keys above).
 */
export function actionCatalog(
  mcpActionKey: string,
  keyOf: (key: string) => string = (key) => key,
): CatalogEntry[] {
  const rows: (readonly [string, string, string?])[] = [
    [mcpActionKey, "Tool called", "Rovo MCP User Actions"],
    ...ROWS,
  ];
  return rows.map(([id, displayName, groupDisplayName]) => ({
    id: keyOf(id),
    type: "event-actions",
    attributes: groupDisplayName ? { displayName, groupDisplayName } : { displayName },
  }));
}

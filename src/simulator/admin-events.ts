/** Admin-side events: OAuth app authorizations (the Atlassian MCP app's first ones) and settings changes. */

import type { AuditItem } from "./audit-json.js";
import { OAUTH_APP_AUTHORIZED, SETTINGS_ACTIONS, type SettingsAction } from "./catalog.js";
import {
  type Draft,
  type GenContext,
  message,
  orgItem,
  personActor,
  personLocation,
  pickAdmin,
  pickPerson,
  siteItem,
} from "./common.js";
import type { Person } from "./people.js";
import { at, hashString, type Rng, uuidFrom } from "./prng.js";

export const MCP_APP_NAME = "Atlassian MCP";
const MCP_APP_ID = uuidFrom(hashString("app:Atlassian MCP"));
const MCP_SCOPES = [
  "read:jira-work",
  "write:jira-work",
  "read:confluence-content.all",
  "write:confluence-content",
  "read:compass:atlassian-external",
];
const OTHER_APPS = ["Slack", "Miro", "Loom", "Zoom"];

function authorization(
  ctx: GenContext,
  actor: Person,
  siteIndex: number,
  app: string,
  rng: Rng,
): Draft {
  const site = at(ctx.roster.sites, siteIndex);
  const isMcp = app === MCP_APP_NAME;
  const item: AuditItem = {
    id: isMcp ? MCP_APP_ID : uuidFrom(hashString(`app:${app}`)),
    type: "app",
    attributes: isMcp ? { name: app, scopes: MCP_SCOPES } : { name: app },
  };
  return {
    action: OAUTH_APP_AUTHORIZED,
    actor: personActor(actor),
    context: [item],
    container: [siteItem(site)],
    location: personLocation(actor, rng),
    message: message(`${actor.name} authorized ${app} for ${site.siteHostName}`),
  };
}

/** The Atlassian MCP app's first OAuth authorization in site `siteIndex`. */
export function mcpAppAuthorization(ctx: GenContext, siteIndex: number, rng: Rng): Draft {
  return authorization(ctx, pickAdmin(ctx.roster, rng), siteIndex, MCP_APP_NAME, rng);
}

/** Some other OAuth app authorized by an ordinary user: same action, not MCP. */
export function otherAppAuthorization(ctx: GenContext, rng: Rng): Draft {
  const siteIndex = rng.int(ctx.roster.sites.length);
  return authorization(
    ctx,
    pickPerson(ctx.roster.people, rng),
    siteIndex,
    rng.pick(OTHER_APPS),
    rng,
  );
}

const SETTINGS: Record<SettingsAction, (rng: Rng) => [string, Record<string, unknown>, string]> = {
  [SETTINGS_ACTIONS.dataSecurityPolicy]: (rng) => [
    "data-security-policy",
    { name: rng.pick(["Keep AI apps out of HR", "Finance spaces"]), rule: "App access" },
    "updated data security policy",
  ],
  [SETTINGS_ACTIONS.connectedApps]: (rng) => [
    "connected-apps-settings",
    { userInstalledApps: rng.pick(["allowed", "blocked"]) },
    "updated connected apps settings",
  ],
  [SETTINGS_ACTIONS.mcpDomainAllowlist]: (rng) => [
    "rovo-mcp-settings",
    {
      setting: "domainAllowlist",
      value: rng.pick(["claude.ai, chatgpt.com, cursor.com", "all supported domains"]),
    },
    "updated the Rovo MCP server domain allowlist",
  ],
  [SETTINGS_ACTIONS.mcpAuthentication]: (rng) => [
    "rovo-mcp-settings",
    { setting: "apiTokenAuthentication", value: rng.pick(["enabled", "disabled"]) },
    "updated Rovo MCP server authentication settings",
  ],
  [SETTINGS_ACTIONS.mcpPermissions]: (rng) => [
    "rovo-mcp-settings",
    {
      setting: "permissions",
      product: rng.pick(["jira", "confluence"]),
      value: rng.pick(["read, search", "read, write, search"]),
    },
    "updated Rovo MCP server permissions",
  ],
  [SETTINGS_ACTIONS.orgApiKeyCreated]: (rng) => [
    "api-key",
    { name: rng.pick(["audit-log-reader", "user-sync"]) },
    "created an organization API key",
  ],
  [SETTINGS_ACTIONS.ipAllowlist]: () => [
    "ip-allowlist",
    { name: "Office networks", ranges: "203.0.113.0/24, 198.51.100.0/24" },
    "updated the IP allowlist",
  ],
};

export function settingsChange(ctx: GenContext, rng: Rng): Draft {
  const action = rng.pick(Object.values(SETTINGS_ACTIONS));
  const [type, attributes, verb] = SETTINGS[action](rng);
  const admin = pickAdmin(ctx.roster, rng);
  return {
    action,
    actor: personActor(admin),
    context: [
      { id: uuidFrom(hashString(`${type}:${JSON.stringify(attributes)}`)), type, attributes },
    ],
    container: [orgItem(ctx)],
    location: personLocation(admin, rng),
    message: message(`${admin.name} ${verb}`),
  };
}

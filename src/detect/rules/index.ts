import type { Rule } from "../types.js";
import { apiTokenCreated } from "./api-token-created.js";
import { authPolicyChanged } from "./auth-policy-changed.js";
import { mcpApiToken } from "./mcp-api-token.js";
import { mcpAppAuthorized } from "./mcp-app-authorized.js";
import { mcpBurst } from "./mcp-burst.js";
import { mcpCanary } from "./mcp-canary.js";
import { mcpDestructive } from "./mcp-destructive.js";
import { mcpFirstUse } from "./mcp-first-use.js";
import { mcpNewLocation } from "./mcp-new-location.js";
import { mcpNewScope } from "./mcp-new-scope.js";
import { mcpNewTool } from "./mcp-new-tool.js";
import { mcpOffHours } from "./mcp-off-hours.js";
import { mcpPostureDrift } from "./mcp-posture-drift.js";
import { mcpSettingsChanged } from "./mcp-settings-changed.js";
import { mcpUnknownAction } from "./mcp-unknown-action.js";
import { mcpVolumeSpike } from "./mcp-volume-spike.js";
import { mcpWatchedPlace } from "./mcp-watched-place.js";
import { mcpWrite } from "./mcp-write.js";
import { orgAdminGranted } from "./org-admin-granted.js";
import { twoStepDisabled } from "./two-step-disabled.js";
import { userImpersonated } from "./user-impersonated.js";

/** Every built-in rule, in the order their findings are listed. */
// biome-ignore lint/suspicious/noExplicitAny: each rule has its own settings type
export const RULES: readonly Rule<any>[] = [
  mcpAppAuthorized,
  mcpFirstUse,
  mcpWrite,
  mcpDestructive,
  mcpApiToken,
  mcpBurst,
  mcpNewLocation,
  mcpOffHours,
  mcpSettingsChanged,
  mcpUnknownAction,
  mcpNewTool,
  apiTokenCreated,
  twoStepDisabled,
  orgAdminGranted,
  userImpersonated,
  authPolicyChanged,
  mcpWatchedPlace,
  mcpCanary,
  mcpPostureDrift,
  mcpNewScope,
  mcpVolumeSpike,
];

export const RULE_IDS: readonly string[] = RULES.map((rule) => rule.id);

import type { Rule } from "../types.js";
import { who } from "../types.js";
import { createdTokenLabel, namesAnAiTool, precursorOf } from "./identity-precursors.js";
import { noSettings } from "./settings.js";

export const apiTokenCreated: Rule<Record<string, never>> = {
  id: "api-token-created",
  defaultSeverity: "low",
  defaultEnabled: true,
  explanation:
    "An API token was created. API-token MCP calls run as the token's account and hide the real user; a token labelled for an AI tool (Claude, Cursor, Copilot, an agent…) is about to be used for one.",
  needs: ["action"],
  settings: noSettings,
  evaluate(event, facts) {
    if (precursorOf(event, facts.action) !== "api-token-created") return null;
    const label = createdTokenLabel(event);
    const ai = namesAnAiTool(label);
    return {
      title: `${who(event)} created an API token${label ? ` “${label}”` : ""}${ai ? ", named for an AI tool" : ""}`,
      detail: { token: label, aiTool: ai, action: event.action },
      // A label naming an AI tool: high, whatever the configured severity.
      ...(ai ? { severity: "high" as const } : {}),
    };
  },
};

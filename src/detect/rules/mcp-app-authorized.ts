import { AUTHORIZES, NOT_GRANTED, REMOVES } from "../../domain/app-access-action.js";
import { rawItems } from "../../domain/audit-fields.js";
import type { ActionInfo, StoredEvent } from "../../domain/event.js";
import type { Rule } from "../types.js";
import { who } from "../types.js";
import { noSettings } from "./settings.js";

const MCP_APP = /\bmcp\b/i;

/** The app names an event's context and container items carry. */
function appNames(raw: string): string[] {
  return rawItems(raw).flatMap((item) => {
    const name = item.attributes.name;
    return typeof name === "string" ? [name] : [];
  });
}

/**
 * Whether the event authorizes the Atlassian MCP app, by the action's names: the app's name as an
 * item gives it (null when only the message names MCP); undefined for any other event.
 */
export function authorizedMcpApp(
  event: StoredEvent,
  info: ActionInfo | undefined,
): { readonly app: string | null } | undefined {
  const name = info?.displayName ?? event.action;
  if (!AUTHORIZES.test(name) && !AUTHORIZES.test(event.action)) return undefined;
  const ended = (text: string) => REMOVES.test(text) || NOT_GRANTED.test(text);
  if (ended(name) || ended(event.action)) return undefined;
  const app = appNames(event.raw).find((found) => MCP_APP.test(found)) ?? null;
  if (!app && !MCP_APP.test(event.message ?? "")) return undefined;
  return { app };
}

export const mcpAppAuthorized: Rule<Record<string, never>> = {
  id: "mcp-app-authorized",
  defaultSeverity: "high",
  defaultEnabled: true,
  explanation:
    "The Atlassian MCP app was authorized in a site: AI tools can now act there with people's permissions. Atlassian logs only this first authorization; later people connecting are not logged.",
  needs: ["action"],
  settings: noSettings,
  evaluate(event, facts) {
    const authorized = authorizedMcpApp(event, facts.action);
    if (!authorized) return null;
    const site = event.siteHost ?? "a site";
    return {
      title: `${who(event)} authorized ${authorized.app ?? "the Atlassian MCP app"} on ${site}`,
      detail: { app: authorized.app, site: event.siteHost },
    };
  },
};

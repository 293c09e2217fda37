import { AUTHORIZES, NOT_GRANTED, REMOVES } from "./app-access-action.js";
import { rawItems } from "./audit-fields.js";
import type { ActionInfo, StoredEvent } from "./event.js";

/**
 * Whether an event authorizes the Atlassian MCP app: what mcp-app-authorized raises on, and what
 * `/mcp-activity settings` counts in the stored events (those fetched on first start too).
 */

const MCP_APP = /\bmcp\b/i;

/** The app names an event's context and container items carry. */
function appNames(raw: string): string[] {
  return rawItems(raw).flatMap((item) => {
    const name = item.attributes.name;
    return typeof name === "string" ? [name] : [];
  });
}

/**
 * Whether an action's names say it authorizes an app (its consent given, it installed), not that
 * such access ended or was never given: the part of the test an action's events share.
 */
export function authorizesAnApp(action: string, info: ActionInfo | undefined): boolean {
  const name = info?.displayName ?? action;
  if (!AUTHORIZES.test(name) && !AUTHORIZES.test(action)) return false;
  const ended = (text: string) => REMOVES.test(text) || NOT_GRANTED.test(text);
  return !ended(name) && !ended(action);
}

/**
 * Whether the event authorizes the Atlassian MCP app, by the action's names: the app's name as an
 * item gives it (null when only the message names MCP); undefined for any other event.
 */
export function authorizedMcpApp(
  event: StoredEvent,
  info: ActionInfo | undefined,
): { readonly app: string | null } | undefined {
  if (!authorizesAnApp(event.action, info)) return undefined;
  const app = appNames(event.raw).find((found) => MCP_APP.test(found)) ?? null;
  if (!app && !MCP_APP.test(event.message ?? "")) return undefined;
  return { app };
}

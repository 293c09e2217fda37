import { changesAppAccess, KEY_SAYS_CALL } from "../domain/app-access-action.js";
import type { ActionInfo, McpBasis } from "../domain/event.js";
import { isPrecursorKey } from "../domain/precursor-action.js";
import { isSettingsAction, namesAControl, namesSettingsChange } from "../domain/settings-action.js";
import { DEFAULT_TOOLS, type ToolCatalogue } from "./tools.js";

const MENTIONS_MCP = /\bmcp\b|model context protocol|rovo_?mcp|mcp_/i;

/**
 * What decides which actions are MCP and what their tools are: Atlassian's catalogue, the
 * configured extra keys, and the tool catalogue (with the rules file's tools).
 */
export interface McpCatalog {
  /** Action key → its names in /event-actions. */
  readonly actions: ReadonlyMap<string, ActionInfo>;
  readonly extraKeys: ReadonlySet<string>;
  readonly tools: ToolCatalogue;
}

export function buildCatalog(
  actions: readonly ActionInfo[],
  extraKeys: readonly string[] = [],
  tools: ToolCatalogue = DEFAULT_TOOLS,
): McpCatalog {
  return {
    actions: new Map(actions.map((info) => [info.action, info])),
    extraKeys: new Set(extraKeys),
    tools,
  };
}

/**
 * True when Atlassian names the action as MCP: its group ("Rovo MCP User Actions"), or its name
 * ("… MCP …") unless that names a change to a setting. A name that alone reads as a settings
 * change ("Rovo MCP server permissions updated", "Delete Jira permission group turned on") is a
 * control even in a group that mentions MCP: its events are for `mcp-settings-changed`. Listed
 * or not, an identity precursor's key and an app's access changed are never a call (see mcpBasis).
 */
export function isMcpAction(info: ActionInfo): boolean {
  const { action, displayName, groupName } = info;
  if (isPrecursorKey(action) || changesAppAccess(action)) return false;
  if (namesSettingsChange(displayName)) return false;
  if (MENTIONS_MCP.test(groupName ?? "")) return true;
  return MENTIONS_MCP.test(displayName ?? "") && !isSettingsAction(displayName, groupName);
}

/** The MCP action keys the catalogue (as last fetched: none it no longer lists) and configuration know. */
export function mcpActionKeys(catalog: McpCatalog): string[] {
  const listed = [...catalog.actions.values()]
    .filter((info) => !info.retired && isMcpAction(info))
    .map((info) => info.action);
  return [...new Set([...listed, ...catalog.extraKeys])].sort();
}

/**
 * Why an event is MCP, or null: its action is listed as MCP, configured, or — for an action the
 * catalogue does not know, unless its key is an identity precursor's — its key or message mentions
 * MCP, or its items name an MCP tool (`namesMcpTool`; a guess, and said to be one; see
 * `guessStands`).
 */
export function mcpBasis(
  catalog: McpCatalog,
  action: string,
  message: string | null,
  itemsNameMcpTool = false,
): McpBasis | null {
  const info = catalog.actions.get(action);
  if (info && isMcpAction(info)) return "catalog";
  if (catalog.extraKeys.has(action)) return "config";
  // An identity precursor (an API token created, 2SV disabled…) is never a call, whatever its
  // message quotes: a token labelled "jira-mcp" is api-token-created's. Nor is an app authorized
  // or removed: "authorized Atlassian MCP" is about the app, and no call made through it.
  if (
    !info &&
    !isPrecursorKey(action) &&
    !changesAppAccess(action) &&
    (MENTIONS_MCP.test(action) || MENTIONS_MCP.test(message ?? "") || itemsNameMcpTool)
  )
    return "guessed";
  return null;
}

/**
 * Whether a guess that an unlisted action is an MCP call holds: not when the event names no tool,
 * its key does not say it is a call, and its message reads as a change to a named control ("Rovo
 * MCP server API token authentication enabled by …"), as a new control's first events do before
 * the catalogue lists it. A call's message that says what it did ("Mallory updated OPS-1 through
 * the Rovo MCP server") names no control, and stays a guessed call.
 */
export function guessStands(action: string, message: string | null, namesTool: boolean): boolean {
  if (namesTool || KEY_SAYS_CALL.test(action)) return true;
  return !(isSettingsAction(message, null) && namesAControl(message ?? ""));
}

import type { ActionInfo, McpBasis } from "../domain/event.js";
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

/** True when Atlassian names the action as MCP ("Rovo MCP User Actions", "… MCP …"). */
export function isMcpAction(info: ActionInfo): boolean {
  return MENTIONS_MCP.test(info.displayName ?? "") || MENTIONS_MCP.test(info.groupName ?? "");
}

/** The MCP action keys the catalogue and configuration know. */
export function mcpActionKeys(catalog: McpCatalog): string[] {
  const listed = [...catalog.actions.values()].filter(isMcpAction).map((info) => info.action);
  return [...new Set([...listed, ...catalog.extraKeys])].sort();
}

/**
 * Why an event is MCP, or null: its action is listed as MCP, configured, or — for an action the
 * catalogue does not know — its key or message mentions MCP (a guess, and said to be one).
 */
export function mcpBasis(
  catalog: McpCatalog,
  action: string,
  message: string | null,
): McpBasis | null {
  const info = catalog.actions.get(action);
  if (info && isMcpAction(info)) return "catalog";
  if (catalog.extraKeys.has(action)) return "config";
  if (!info && (MENTIONS_MCP.test(action) || MENTIONS_MCP.test(message ?? ""))) return "guessed";
  return null;
}

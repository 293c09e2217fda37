import { firstText, type Item } from "../domain/audit-fields.js";
import { type ToolReading, toolFromMessage } from "./tool-in-message.js";
import { describeTool, type ToolCatalogue } from "./tools.js";

/** What an event's context and container items say: its tool, site, product and resource. */

const TOOL_WORD = /tool/i;
/** Attribute keys that name the operation a wrapper tool ran. */
const INNER_WORD = /operation|inner|wrapped/i;

/**
 * Where the tool name sits is not published: an item whose type mentions a tool, then an
 * attribute whose key mentions a tool, then the message (see toolFromMessage). A wrapper's
 * operation is read from an attribute naming it, else from the message.
 */
export function findTool(
  items: readonly Item[],
  message: string | null,
  catalogue: ToolCatalogue,
): ToolReading | null {
  const fromMessage = message ? toolFromMessage(message, catalogue) : null;
  const named = namedTool(items);
  if (!named) return fromMessage;
  if (!describeTool(named, catalogue).wrapper)
    return { tool: named, innerTool: null, guessed: false };
  const fromText =
    fromMessage && fromMessage.tool !== named ? fromMessage.tool : (fromMessage?.innerTool ?? null);
  const innerTool = innerAttribute(items, named) ?? fromText;
  return { tool: named, innerTool, guessed: false };
}

/**
 * Whether the items name an MCP tool: an item whose type says so (`mcp-tool`). A tool named
 * elsewhere may be anything's (a Rovo agent's step names `search` too), whatever its name.
 */
export function namesMcpTool(items: readonly Item[]): boolean {
  return items.some((item) => item.type && TOOL_WORD.test(item.type) && /mcp/i.test(item.type));
}

function namedTool(items: readonly Item[]): string | null {
  for (const item of items) {
    if (item.type && TOOL_WORD.test(item.type)) {
      const name =
        firstText(item.attributes, ["name", "toolName", "tool", "displayName"]) ?? item.id;
      if (name) return name;
    }
  }
  for (const item of items) {
    for (const [key, value] of Object.entries(item.attributes ?? {})) {
      if (
        TOOL_WORD.test(key) &&
        !INNER_WORD.test(key) &&
        typeof value === "string" &&
        value.trim() !== ""
      )
        return value.trim();
    }
  }
  return null;
}

function innerAttribute(items: readonly Item[], wrapper: string): string | null {
  for (const item of items) {
    for (const [key, value] of Object.entries(item.attributes ?? {})) {
      const name = typeof value === "string" ? value.trim() : "";
      if (INNER_WORD.test(key) && name !== "" && name !== wrapper) return name;
    }
  }
  return null;
}

export function siteHost(items: readonly Item[]): string | null {
  for (const item of items) {
    if (item.type !== "sites" && item.type !== "site") continue;
    const host = firstText(item.attributes, ["siteHostName", "hostName", "siteName"])
      ?.replace(/^https?:\/\//, "")
      .replace(/\/+$/, "");
    if (host) return host;
  }
  return null;
}

export function productOf(items: readonly Item[]): string | null {
  for (const item of items) {
    if (item.type && /product/i.test(item.type)) {
      const name = firstText(item.attributes, ["productKey", "productName", "name"]) ?? item.id;
      if (name) return name.toLowerCase();
    }
  }
  for (const item of items) {
    const prefix = /^(jira|confluence|compass)\b/i.exec(item.type ?? "");
    if (prefix?.[1]) return prefix[1].toLowerCase();
  }
  return null;
}

const RESOURCE_TYPES = /issue|page|blog|space|project|component|content|comment|board|attachment/i;

/** The thing acted on: an issue key, a page title with its id, a component, … */
export function resourceOf(items: readonly Item[]): string | null {
  for (const item of items) {
    if (!item.type || !RESOURCE_TYPES.test(item.type) || TOOL_WORD.test(item.type)) continue;
    const key = firstText(item.attributes, ["issueKey", "key"]);
    if (key) return key;
    const title = firstText(item.attributes, ["title", "name", "summary", "displayName"]);
    const id = firstText(item.attributes, ["pageId", "contentId", "id"]) ?? item.id;
    if (title) return id ? `${title} (${id})` : title;
    if (id) return `${item.type} ${id}`;
  }
  return null;
}

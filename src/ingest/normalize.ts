import {
  type AtlassianEvent,
  describeIssues,
  eventSchema,
  ISO_TIME,
} from "../atlassian/schemas.js";
import { at, type Fields, firstText, type Item, items, record } from "../domain/audit-fields.js";
import type { AuthKind, NormalizedEvent } from "../domain/event.js";
import { guessStands, type McpCatalog, mcpBasis } from "./classify.js";
import { placeOf } from "./place.js";
import { type ToolReading, toolFromMessage } from "./tool-in-message.js";
import { describeTool, type ToolCatalogue } from "./tools.js";

export type NormalizeResult =
  | { readonly ok: true; readonly event: NormalizedEvent }
  | { readonly ok: false; readonly id: string | null; readonly error: string };

/**
 * Reads one raw stream item into an event, or says why it cannot (for the quarantine). `text` is
 * the item's JSON as received, when known; otherwise the item is serialised.
 */
/**
 * Where an event is read: `backfillUntil`, the first start (events Atlassian processed before it
 * are history, never alerted on); `backfilling`, whether the read is the backfill itself (an event
 * with no processing time is history only then: read live, it arrived after the first start).
 */
export interface NormalizeContext {
  readonly orgId: string;
  readonly catalog: McpCatalog;
  readonly backfillUntil: number | null;
  readonly backfilling?: boolean;
}

export function normalize(raw: unknown, context: NormalizeContext, text?: string): NormalizeResult {
  let checked = quickCheck(raw);
  if (!checked) {
    const parsed = eventSchema.safeParse(raw);
    if (!parsed.success) {
      const id =
        typeof raw === "object" && raw !== null && "id" in raw && typeof raw.id === "string"
          ? raw.id
          : null;
      return { ok: false, id, error: describeIssues(parsed.error) };
    }
    checked = fromSchema(parsed.data);
  }
  return { ok: true, event: extract(checked, text ?? JSON.stringify(raw), context) };
}

/** Recomputes the columns of a stored event from its raw JSON (after catalogues change). */
export function reclassify(stored: NormalizedEvent, catalog: McpCatalog): NormalizedEvent {
  const parsed = eventSchema.parse(JSON.parse(stored.raw));
  return {
    ...extract(fromSchema(parsed), stored.raw, {
      orgId: stored.orgId,
      catalog,
      backfillUntil: null,
    }),
    backfilled: stored.backfilled,
  };
}

/** What `eventSchema` guarantees, read from an item that passed it. */
interface Checked {
  readonly event: Fields;
  readonly attributes: Fields;
  readonly id: string;
  readonly time: number;
  readonly processedAt: number | undefined;
  readonly action: string;
}

function fromSchema(event: AtlassianEvent): Checked {
  const a = event.attributes;
  return {
    event,
    attributes: a,
    id: event.id,
    time: a.time,
    processedAt: a.processedAt,
    action: a.action,
  };
}

/**
 * The common case without zod: string id and action, ISO times. It accepts only what
 * `eventSchema` accepts, with the same values; anything else goes to the schema, which decides.
 */
function quickCheck(raw: unknown): Checked | undefined {
  const event = record(raw);
  const attributes = record(event?.attributes);
  if (!event || !attributes) return undefined;
  const { id } = event;
  const { action } = attributes;
  if (typeof id !== "string" || id === "" || typeof action !== "string" || action === "")
    return undefined;
  const time = isoMs(attributes.time);
  if (time === undefined) return undefined;
  let processedAt: number | undefined;
  if (attributes.processedAt !== undefined) {
    processedAt = isoMs(attributes.processedAt);
    if (processedAt === undefined) return undefined;
  }
  return { event, attributes, id, time, processedAt, action };
}

function isoMs(value: unknown): number | undefined {
  if (typeof value !== "string" || !ISO_TIME.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function extract(
  { event, attributes: a, id, time, processedAt: processed, action }: Checked,
  raw: string,
  { orgId, catalog, backfillUntil, backfilling = false }: NormalizeContext,
): NormalizedEvent {
  const actor = record(a.actor);
  const context = items(a.context);
  const container = items(a.container);
  const all = [...context, ...container];
  const message = at(event, "message", "content");
  const guess = mcpBasis(catalog, action, message);
  const found = guess ? findTool(all, message, catalog.tools) : null;
  const basis = guess === "guessed" && !guessStands(action, message, found !== null) ? null : guess;
  const tool = found?.tool ?? null;
  const info = tool ? describeTool(tool, catalog.tools) : null;
  const inner = found?.innerTool ? describeTool(found.innerTool, catalog.tools) : null;
  const processedAt = processed ?? null;
  const authType = at(actor, "auth", "authType");
  const onBehalfOf = record(actor?.onBehalfOf);
  const person = at(onBehalfOf, "id") ? onBehalfOf : actor;
  return {
    orgId,
    id,
    time,
    processedAt,
    action,
    actorId: at(actor, "id"),
    actorName: at(actor, "name"),
    actorEmail: at(actor, "email")?.toLowerCase() ?? null,
    authKind: authKind(authType),
    authType,
    tokenLabel: at(actor, "auth", "tokenLabel"),
    onBehalfOfId: at(actor, "onBehalfOf", "id"),
    onBehalfOfName: at(actor, "onBehalfOf", "name"),
    onBehalfOfEmail: at(actor, "onBehalfOf", "email")?.toLowerCase() ?? null,
    userId: at(person, "id"),
    userName: at(person, "name"),
    userEmail: at(person, "email")?.toLowerCase() ?? null,
    ip: at(a.location, "ip"),
    country: at(a.location, "countryName"),
    city: at(a.location, "city"),
    siteHost: siteHost(container) ?? siteHost(context),
    product: info?.product ?? inner?.product ?? productOf(all),
    isMcp: basis !== null,
    mcpBasis: basis,
    clientApp: firstText(record(record(actor?.app)?.attributes), [
      "name",
      "displayName",
      "appName",
    ]),
    tool,
    toolClass: info?.class ?? null,
    innerTool: found?.innerTool ?? null,
    toolGuessed: found?.guessed ?? false,
    resource: resourceOf(all),
    place: placeOf(all),
    message,
    backfilled:
      backfillUntil !== null &&
      (processedAt ?? (backfilling ? time : Number.POSITIVE_INFINITY)) < backfillUntil,
    raw,
  };
}

function authKind(authType: string | null): AuthKind {
  if (authType === "api-token") return "api-token";
  if (authType === "auth-token-for-3LO") return "oauth";
  return "unknown";
}

const TOOL_WORD = /tool/i;
/** Attribute keys that name the operation a wrapper tool ran. */
const INNER_WORD = /operation|inner|wrapped/i;

/**
 * Where the tool name sits is not published: an item whose type mentions a tool, then an
 * attribute whose key mentions a tool, then the message (see toolFromMessage). A wrapper's
 * operation is read from an attribute naming it, else from the message.
 */
function findTool(
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

function siteHost(items: readonly Item[]): string | null {
  for (const item of items) {
    if (item.type !== "sites" && item.type !== "site") continue;
    const host = firstText(item.attributes, ["siteHostName", "hostName", "siteName"])
      ?.replace(/^https?:\/\//, "")
      .replace(/\/+$/, "");
    if (host) return host;
  }
  return null;
}

function productOf(items: readonly Item[]): string | null {
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
function resourceOf(items: readonly Item[]): string | null {
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

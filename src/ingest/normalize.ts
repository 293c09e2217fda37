import { type AtlassianEvent, describeIssues, eventSchema } from "../atlassian/schemas.js";
import { readTime } from "../atlassian/time-value.js";
import { at, type Fields, firstText, items, itemsProblem, record } from "../domain/audit-fields.js";
import type { AuthKind, NormalizedEvent } from "../domain/event.js";
import { guessStands, type McpCatalog, mcpBasis } from "./classify.js";
import { findTool, namesMcpTool, productOf, resourceOf, siteHost } from "./item-readers.js";
import { placeOf } from "./place.js";
import { dangerOf, describeTool } from "./tools.js";

export type NormalizeResult =
  | { readonly ok: true; readonly event: NormalizedEvent }
  | { readonly ok: false; readonly id: string | null; readonly error: string };

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

/**
 * Reads one raw stream item into an event, or says why it cannot (for the quarantine). `text` is
 * the item's JSON as received, when known; otherwise the item is serialised.
 */
export function normalize(raw: unknown, context: NormalizeContext, text?: string): NormalizeResult {
  let checked = quickCheck(raw);
  if (!checked) {
    const parsed = eventSchema.safeParse(raw);
    if (!parsed.success) {
      const id =
        typeof raw === "object" && raw !== null && "id" in raw && typeof raw.id === "string"
          ? raw.id
          : null;
      return { ok: false, id, error: describeIssues(parsed.error, raw) };
    }
    checked = fromSchema(parsed.data);
  }
  // Read as none, such items would lose the call's tool, site and resource without a word.
  const unread =
    itemsProblem(checked.attributes.context, "attributes.context") ??
    itemsProblem(checked.attributes.container, "attributes.container");
  if (unread) return { ok: false, id: checked.id, error: unread };
  return { ok: true, event: extract(checked, text ?? JSON.stringify(raw), context) };
}

/** What identifies a stored event, with its raw JSON. */
type Stored = Pick<NormalizedEvent, "orgId" | "id" | "time" | "processedAt" | "action" | "raw">;

/**
 * A stored event read again from its raw JSON with `catalog`. It was judged when it was stored:
 * its id, times and action are the stored ones, and nothing in it is refused now.
 */
export function reread(stored: Stored, catalog: McpCatalog): NormalizedEvent {
  const event = record(JSON.parse(stored.raw)) ?? {};
  const checked: Checked = {
    event,
    attributes: record(event.attributes) ?? {},
    id: stored.id,
    time: stored.time,
    processedAt: stored.processedAt ?? undefined,
    action: stored.action,
  };
  return extract(checked, stored.raw, { orgId: stored.orgId, catalog, backfillUntil: null });
}

/** Recomputes the columns of a stored event from its raw JSON (after catalogues change). */
export function reclassify(stored: NormalizedEvent, catalog: McpCatalog): NormalizedEvent {
  return { ...reread(stored, catalog), backfilled: stored.backfilled };
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
 * The common case without zod: string id and action, readable times. It accepts only what
 * `eventSchema` accepts, with the same values; anything else goes to the schema, which says why.
 */
function quickCheck(raw: unknown): Checked | undefined {
  const event = record(raw);
  const attributes = record(event?.attributes);
  if (!event || !attributes) return undefined;
  const { id } = event;
  const { action } = attributes;
  if (typeof id !== "string" || id === "" || typeof action !== "string" || action === "")
    return undefined;
  const time = epochMs(attributes.time);
  if (time === undefined) return undefined;
  let processedAt: number | undefined;
  if (attributes.processedAt !== undefined && attributes.processedAt !== null) {
    processedAt = epochMs(attributes.processedAt);
    if (processedAt === undefined) return undefined;
  }
  return { event, attributes, id, time, processedAt, action };
}

function epochMs(value: unknown): number | undefined {
  const reading = readTime(value);
  return "ms" in reading ? reading.ms : undefined;
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
  const listed = catalog.actions.has(action) || catalog.extraKeys.has(action);
  const guess = mcpBasis(catalog, action, message, !listed && namesMcpTool(all));
  const found = guess ? findTool(all, message, catalog.tools) : null;
  const basis = guess === "guessed" && !guessStands(action, message, found !== null) ? null : guess;
  const tool = found?.tool ?? null;
  const info = tool ? describeTool(tool, catalog.tools) : null;
  const inner = found?.innerTool ? describeTool(found.innerTool, catalog.tools) : null;
  // A wrapper did what it ran, and at least what it is: the more dangerous of the two classes.
  const toolClass =
    inner && dangerOf(inner.class) > dangerOf(info?.class ?? null)
      ? inner.class
      : (info?.class ?? null);
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
    toolClass,
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

/** Rovo MCP tool-call events, with the tool name in exactly one of three places. */

import type { AuditActor, AuditItem } from "./audit-json.js";
import {
  type Draft,
  type GenContext,
  message,
  personLocation,
  pickPerson,
  productItem,
  siteItem,
  userLinks,
} from "./common.js";
import { appOf, type Person, type ServiceAccount, type Site } from "./people.js";
import { COUNTRIES, DATACENTERS, locationIn } from "./places.js";
import { at, hashString, type Rng, uuidFrom } from "./prng.js";
import { type Resource, resourceOf } from "./resources.js";
import {
  TOOLS_BY_CLASS,
  type ToolClass,
  type ToolProduct,
  type ToolSpec,
  V2_TOOLS,
} from "./tools.js";

/**
 * Where the tool name sits: a `context[]` item whose type mentions tool, an attribute whose key
 * mentions tool on another context/container item, or only the message text.
 */
export type ToolPlacement = "context-item" | "attribute" | "message";

export interface McpCallInfo {
  readonly tool: string;
  /** The operation a wrapper (`executeWrite`, `executeDestructive`) ran; undefined otherwise. */
  readonly innerTool: string | undefined;
  readonly toolClass: ToolClass;
  readonly product: ToolProduct;
  readonly placement: ToolPlacement;
  readonly authType: "auth-token-for-3LO" | "api-token";
  readonly actorId: string;
  /** The person behind the call (actor, or onBehalfOf); undefined for API-token calls. */
  readonly userId: string | undefined;
  /** The OAuth app ("Claude", …); undefined for API-token calls. */
  readonly appName: string | undefined;
  readonly siteHostName: string;
  /** "OPS-12", "page “Q3 planning”", …; undefined when the call names no resource. */
  readonly resource: string | undefined;
}

/** What a caller of `mcpCall` decides instead of chance (a scheduled job, a seeded incident). */
export interface CallChoice {
  /** The person calling (OAuth), or the service account (API token). */
  readonly person?: Person;
  readonly account?: ServiceAccount;
  readonly toolClass?: ToolClass;
  /** Where the person calls from, by index into COUNTRIES. */
  readonly country?: number;
  /** Class weights to draw from, when `toolClass` is not given. */
  readonly classes?: readonly (readonly [ToolClass, number])[];
  /**
   * The tool (v1 name, of `toolClass`, or one of V2_TOOLS), the site and the resource, for a
   * seeded incident or a v2 call.
   */
  readonly tool?: string;
  readonly site?: Site;
  readonly resource?: (site: Site) => Resource;
}

interface Caller {
  readonly actor: AuditActor;
  readonly authType: McpCallInfo["authType"];
  readonly userId: string | undefined;
  readonly appName: string | undefined;
  readonly location: NonNullable<Draft["location"]>;
  /** How the message names the caller. */
  readonly who: string;
}

const CLASSES: readonly (readonly [ToolClass, number])[] = [
  ["read", 59.7],
  ["search", 30],
  ["write", 10],
  ["destructive", 0.3],
];
const PLACEMENTS: readonly ToolPlacement[] = ["context-item", "attribute", "message"];
const weights = (c: ToolClass) => TOOLS_BY_CLASS[c].map((t) => [t, t.weight] as const);
const TOOL_WEIGHTS: Record<ToolClass, readonly (readonly [ToolSpec, number])[]> = {
  read: weights("read"),
  search: weights("search"),
  write: weights("write"),
  destructive: weights("destructive"),
  admin: weights("admin"),
};
const tokenIds = new Map<string, string>();

/** One OAuth token per (person, app). */
function tokenIdOf(personId: string, appId: string): string {
  const key = `${personId}|${appId}`;
  let id = tokenIds.get(key);
  if (id === undefined) {
    id = uuidFrom(hashString(key));
    tokenIds.set(key, id);
  }
  return id;
}

function caller(
  ctx: GenContext,
  users: GenContext["roster"]["people"],
  rng: Rng,
  choice: CallChoice,
): Caller {
  if (choice.account || (!choice.person && rng.chance(0.05))) {
    // API token: runs as the token's service account; the real user is unknown.
    const account = choice.account ?? rng.pick(ctx.roster.serviceAccounts);
    const dc = rng.int(DATACENTERS.length);
    return {
      actor: {
        id: account.id,
        name: account.name,
        email: account.email,
        auth: { authType: "api-token", tokenId: account.tokenId, tokenLabel: account.tokenLabel },
        links: userLinks(account.id),
      },
      authType: "api-token",
      userId: undefined,
      appName: undefined,
      location: locationIn(at(DATACENTERS, dc), hashString(account.id), dc, rng),
      who: `API token ${account.tokenLabel}`,
    };
  }
  const person = choice.person ?? pickPerson(users, rng);
  const app = appOf(ctx.roster, rng.chance(0.85) ? person.apps[0] : person.apps[1]);
  const auth = {
    authType: "auth-token-for-3LO",
    tokenId: tokenIdOf(person.id, app.id),
  };
  const appRef = { id: app.id, type: "oauth-app", attributes: { name: app.name } };
  const { mcpAccount } = ctx.roster;
  const actor: AuditActor = rng.chance(0.03)
    ? {
        id: mcpAccount.id,
        name: mcpAccount.name,
        auth,
        app: appRef,
        onBehalfOf: { id: person.id, name: person.name, email: person.email },
        links: userLinks(mcpAccount.id),
      }
    : {
        id: person.id,
        name: person.name,
        email: person.email,
        auth,
        app: appRef,
        links: userLinks(person.id),
      };
  return {
    actor,
    authType: "auth-token-for-3LO",
    userId: person.id,
    appName: app.name,
    location:
      choice.country === undefined
        ? personLocation(person, rng)
        : locationIn(at(COUNTRIES, choice.country), hashString(person.id), choice.country, rng),
    who: app.name,
  };
}

/** The tool-call event at `index`, or undefined when no site or user uses MCP yet. */
export function mcpCall(
  ctx: GenContext,
  index: number,
  rng: Rng,
  choice: CallChoice = {},
): { draft: Draft; info: McpCallInfo } | undefined {
  const sites = ctx.mcpSitesAt(index);
  const users = ctx.mcpUsersAt(index);
  if (sites.length === 0 || (users.length === 0 && !choice.person && !choice.account))
    return undefined;
  const site = choice.site ?? rng.pick(sites);
  const who = caller(ctx, users, rng, choice);
  const toolClass = choice.toolClass ?? rng.weighted(choice.classes ?? CLASSES);
  const chosen =
    choice.tool === undefined
      ? undefined
      : [...TOOLS_BY_CLASS[toolClass], ...V2_TOOLS].find(
          (t) => t.name === choice.tool && t.toolClass === toolClass,
        );
  const spec = chosen ?? rng.weighted(TOOL_WEIGHTS[toolClass]);
  const tool = chosen ? chosen.name : spec.v2 && rng.chance(0.4) ? spec.v2 : spec.name;
  const inner = spec.inner ? rng.pick(spec.inner) : undefined;
  const resource = choice.resource?.(site) ?? resourceOf(spec.resource, ctx.seed, site, rng);
  const placement = rng.pick(PLACEMENTS);

  const context: AuditItem[] = resource ? [resource.item] : [];
  const container: AuditItem[] = [siteItem(site)];
  if (spec.product !== "platform" && rng.chance(0.5)) container.push(productItem(spec.product));
  let text: string | undefined;
  if (placement === "context-item") {
    const type = rng.chance(0.8) ? "mcp-tool" : "rovo-mcp-tool";
    const toolItem = {
      id: tool,
      type,
      attributes: inner ? { name: tool, operation: inner } : { name: tool },
    };
    if (rng.chance(0.5)) context.unshift(toolItem);
    else context.push(toolItem);
  } else if (placement === "attribute") {
    const holder = resource?.item ?? container[container.length - 1] ?? siteItem(site);
    holder.attributes[rng.chance(0.8) ? "toolName" : "mcpToolName"] = tool;
    if (inner) holder.attributes.operation = inner;
  }
  if (placement === "message") {
    const on = resource ? ` on ${resource.label}` : "";
    const ran = inner ? `: ${inner}` : "";
    text = rng.chance(0.7)
      ? `Rovo MCP server: ${who.who} called ${tool}${ran}${on}`
      : `${tool} called through the Rovo MCP server by ${who.actor.name ?? who.actor.id}${ran}${on}`;
  } else if (rng.chance(0.5)) {
    text = `Rovo MCP server tool call from ${who.who}`;
  }

  const draft: Draft = {
    action: ctx.mcpActionKey,
    actor: who.actor,
    context,
    container,
    location: who.location,
  };
  if (text !== undefined) draft.message = message(text);
  const info: McpCallInfo = {
    tool,
    innerTool: inner,
    toolClass,
    product: spec.product,
    placement,
    authType: who.authType,
    actorId: who.actor.id,
    userId: who.userId,
    appName: who.appName,
    siteHostName: site.siteHostName,
    resource: resource?.label,
  };
  return { draft, info };
}

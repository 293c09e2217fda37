import { z } from "zod";
import { type StoredEvent, TOOL_CLASSES, type ToolClass } from "../domain/event.js";
import { CONTROLS, type Control } from "../guidance/controls.js";
import { siteHost } from "./site-host.js";

/**
 * The posture an organization declares in the rules file (`posture:`): the Rovo MCP settings it
 * believes it has. Atlassian's log does not record every change of them, so an event that could
 * not happen under the declared settings is the only sign that one changed.
 */

const CLASSES = TOOL_CLASSES;
const onOff = z.enum(["on", "off"], { error: "expected on or off" });

export const postureSchema = z
  .strictObject({
    /** Whether MCP calls may authenticate with API tokens. */
    apiTokenAuth: onOff.optional(),
    /** Whether destructive tools (delete) and admin tools (manage, create projects) may run. */
    destructiveTools: onOff.optional(),
    /** Per product, the classes of tool the MCP server's permissions allow; unlisted products: none. */
    products: z
      .record(
        z.string().transform((p) => p.toLowerCase()),
        z.array(z.enum(CLASSES, { error: `expected ${CLASSES.join(", ")}` }), {
          error: "expected a list such as [read, search]",
        }),
        { error: "expected products with their tools, such as { jira: [read, search] }" },
      )
      .optional(),
    /** The sites where the MCP app may be used. */
    sites: z.array(siteHost, { error: "expected a list of site host names" }).optional(),
  })
  .default({});

export type Posture = z.infer<typeof postureSchema>;

/** One way an event contradicts the declared posture, and where the setting behind it is. */
export interface Contradiction {
  /** Stable and short: what `once` counts as one ("apiTokenAuth", "products.jira.write"). */
  readonly key: string;
  readonly observed: string;
  readonly declared: string;
  readonly control: Control;
}

const control = (id: Control["id"]): Control =>
  CONTROLS.find((c) => c.id === id) ?? (CONTROLS[0] as Control);

const CLASS_WORD: Record<ToolClass, string> = {
  read: "a read tool",
  search: "a search tool",
  write: "a write tool",
  destructive: "a destructive tool",
  admin: "an admin tool",
};

/** Every way an MCP call contradicts the posture (none for other events or no declaration). */
export function contradictions(event: StoredEvent, posture: Posture): Contradiction[] {
  if (!event.isMcp) return [];
  const found: Contradiction[] = [];
  const tool = event.tool ? ` (${event.tool})` : "";
  if (posture.apiTokenAuth === "off" && event.authKind === "api-token") {
    found.push({
      key: "apiTokenAuth",
      observed: "an MCP call authenticated with an API token",
      declared: "API-token authentication is off",
      control: control("api-tokens"),
    });
  }
  if (
    posture.destructiveTools === "off" &&
    (event.toolClass === "destructive" || event.toolClass === "admin")
  ) {
    found.push({
      key: "destructiveTools",
      observed: `${CLASS_WORD[event.toolClass]}${tool}`,
      declared: "destructive tools are off",
      control: control("permissions"),
    });
  }
  const { products } = posture;
  const toolClass = event.toolClass;
  // A named tool whose class cannot be read is not shown to be allowed: only a product allowing
  // every class allows it (each such tool its own contradiction: `tools` says what it is). A call
  // naming no tool is judged by its product alone: allowed where it allows any class.
  const unclassified = toolClass === null && event.tool !== null;
  const allows = (allowed: readonly ToolClass[]) =>
    toolClass
      ? allowed.includes(toolClass)
      : unclassified
        ? CLASSES.every((c) => allowed.includes(c))
        : allowed.length > 0;
  const classWord = toolClass
    ? CLASS_WORD[toolClass]
    : unclassified
      ? "a tool of unknown class"
      : "an MCP call naming no tool";
  const classKey = toolClass ?? (unclassified ? `unclassified.${event.tool}` : "no-tool");
  // A product the event does not name (a v2 wrapper's, a platform tool's): a class no product allows.
  if (
    products &&
    !event.product &&
    (toolClass || unclassified) &&
    !Object.values(products).some(allows)
  ) {
    const declared = Object.entries(products)
      .map(([product, allowed]) => `${product}: ${allowed.join(", ") || "nothing"}`)
      .join("; ");
    found.push({
      key: `products.unknown.${classKey}`,
      observed: `${classWord} in an unknown product${tool}`,
      declared: `no product allows ${toolClass ?? "every class"} (${declared || "no product declared"})`,
      control: control("permissions"),
    });
  }
  if (products && event.product) {
    const allowed = products[event.product];
    if (allowed === undefined) {
      found.push({
        key: `products.${event.product}`,
        observed: `an MCP call in ${event.product}${tool}`,
        declared: `${event.product} is not among the products MCP may use (${Object.keys(products).join(", ") || "none"})`,
        control: control("permissions"),
      });
    } else if (!allows(allowed)) {
      found.push({
        key: `products.${event.product}.${classKey}`,
        observed: `${classWord} in ${event.product}${tool}`,
        declared: `${event.product} allows ${allowed.join(", ") || "nothing"}`,
        control: control("permissions"),
      });
    }
  }
  const site = event.siteHost?.toLowerCase();
  if (posture.sites && site && !posture.sites.includes(site)) {
    found.push({
      key: `sites.${site}`,
      observed: `an MCP call on ${site}`,
      declared: `MCP is used on ${posture.sites.join(", ") || "no site"} only`,
      control: control("oauth"),
    });
  }
  return found;
}

/** "observed X although your posture says Y: check Z at <path>". */
export function describeContradiction(c: Contradiction): string {
  return `observed ${c.observed} although your posture says ${c.declared}: check “${c.control.name}” at ${c.control.path}`;
}

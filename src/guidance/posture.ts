import type { Posture } from "../detect/posture.js";
import type { ObservedUse } from "../domain/activity.js";
import { TOOL_CLASSES } from "../domain/event.js";
import { CONTROLS, type Control } from "./controls.js";

/** One control of the declared posture beside what the log showed. */
export interface PostureLine {
  readonly control: Control;
  /** What this line is about when a control has several (a product, the sites). */
  readonly topic: string;
  readonly declared: string;
  readonly observed: string;
  /** The log shows what the declaration rules out. */
  readonly drift: boolean;
}

const control = (id: Control["id"]): Control =>
  CONTROLS.find((c) => c.id === id) ?? (CONTROLS[0] as Control);

const sum = (uses: readonly ObservedUse[], keep: (u: ObservedUse) => boolean) =>
  uses.filter(keep).reduce((n, u) => n + u.calls, 0);

const counted = (counts: ReadonlyMap<string, number>) =>
  [...counts].map(([what, n]) => `${what} ${n}`).join(", ") || "no calls";

/** Calls by a key of the uses kept, largest first. */
function by(
  uses: readonly ObservedUse[],
  key: (u: ObservedUse) => string | null,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const use of uses) {
    const k = key(use);
    if (k !== null) counts.set(k, (counts.get(k) ?? 0) + use.calls);
  }
  return new Map([...counts].sort((a, b) => b[1] - a[1]));
}

/**
 * The declared posture, control by control, beside the MCP calls of the period: API-token
 * authentication, destructive tools, each product's permissions, the sites. Controls the
 * posture does not declare are shown as observed only.
 */
export function postureReport(posture: Posture, uses: readonly ObservedUse[]): PostureLine[] {
  const lines: PostureLine[] = [];
  const tokens = sum(uses, (u) => u.authKind === "api-token");
  lines.push({
    control: control("api-tokens"),
    topic: "API-token authentication",
    declared: posture.apiTokenAuth ?? "not declared",
    observed: `${tokens} ${tokens === 1 ? "call" : "calls"} with an API token`,
    drift: posture.apiTokenAuth === "off" && tokens > 0,
  });
  // As the posture-drift rule reads `destructiveTools`: admin tools are of it.
  const destructive = sum(uses, (u) => u.toolClass === "destructive" || u.toolClass === "admin");
  lines.push({
    control: control("permissions"),
    topic: "destructive tools",
    declared: posture.destructiveTools ?? "not declared",
    observed: `${destructive} destructive or admin ${destructive === 1 ? "call" : "calls"}`,
    drift: posture.destructiveTools === "off" && destructive > 0,
  });
  const products = new Set([
    ...Object.keys(posture.products ?? {}),
    ...by(uses, (u) => u.product).keys(),
  ]);
  // As the posture-drift rule reads them: a named tool of unknown class is allowed only where
  // every class is; a call naming no tool, wherever its product allows any class.
  const UNKNOWN = "class unknown";
  const NO_TOOL = "tool not named";
  const classOf = (u: ObservedUse) => u.toolClass ?? (u.toolNamed ? UNKNOWN : NO_TOOL);
  const allows = (allowed: readonly string[] | undefined, c: string) =>
    c === UNKNOWN
      ? TOOL_CLASSES.every((t) => allowed?.includes(t))
      : c === NO_TOOL
        ? !!allowed && allowed.length > 0
        : !!allowed?.includes(c);
  for (const product of products) {
    const allowed = posture.products?.[product];
    const classes = by(
      uses.filter((u) => u.product === product),
      classOf,
    );
    lines.push({
      control: control("permissions"),
      topic: product,
      declared: posture.products
        ? allowed
          ? allowed.join(", ") || "nothing"
          : "not allowed"
        : "not declared",
      observed: counted(classes),
      drift: posture.products !== undefined && [...classes.keys()].some((c) => !allows(allowed, c)),
    });
  }
  // As the posture-drift rule reads them: a call whose product is unknown (a v2 wrapper's, a
  // platform tool's) contradicts the products when none of them allows its class.
  const unplaced = by(
    uses.filter((u) => u.product === null),
    classOf,
  );
  if (posture.products && unplaced.size > 0) {
    const anywhere = new Set<string>(Object.values(posture.products).flat());
    lines.push({
      control: control("permissions"),
      topic: "product unknown",
      declared: `allowed in some product: ${[...anywhere].join(", ") || "nothing"}`,
      observed: counted(unplaced),
      drift: [...unplaced.keys()].some(
        (c) =>
          c !== NO_TOOL &&
          !Object.values(posture.products ?? {}).some((allowed) => allows(allowed, c)),
      ),
    });
  }
  const sites = by(uses, (u) => u.site?.toLowerCase() ?? null);
  // Calls whose event names no site are shown, but contradict no site (as the rule reads them).
  const unsited = sum(uses, (u) => u.site === null);
  lines.push({
    control: control("oauth"),
    topic: "sites",
    declared: posture.sites ? posture.sites.join(", ") || "none" : "not declared",
    observed: counted(unsited > 0 ? new Map([...sites, ["site unknown", unsited]]) : sites),
    drift:
      posture.sites !== undefined && [...sites.keys()].some((s) => !posture.sites?.includes(s)),
  });
  return lines;
}

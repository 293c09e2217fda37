import { z } from "zod";
import type { StoredEvent } from "../domain/event.js";
import { SEVERITIES, type Severity, severityRank } from "../domain/severity.js";
import { siteHost } from "./site-host.js";

/**
 * Sensitive places and canaries (`watch:` in the rules file): a Confluence space or page, a Jira
 * project or issue, or a whole site, optionally narrowed to one site. Any MCP call touching one
 * raises `mcp-watched-place` at the entry's severity, or `mcp-canary` (high) for a canary.
 */

const KINDS = ["space", "page", "project", "issue", "site"] as const;
export type PlaceKind = (typeof KINDS)[number];

const key = z
  .union([z.string(), z.number()], { error: "expected a key such as HR or 123456" })
  .transform(String)
  .pipe(z.string().trim().min(1, { error: "expected a non-empty key" }));

const entrySchema = z
  .strictObject({
    space: key.optional(),
    page: key.optional(),
    project: key.optional(),
    issue: key.optional(),
    site: siteHost.optional(),
    severity: z.enum(SEVERITIES, { error: `expected one of ${SEVERITIES.join(", ")}` }).optional(),
    canary: z.boolean({ error: "expected true or false" }).optional(),
  })
  .superRefine((entry, ctx) => {
    const named = KINDS.filter((k) => k !== "site" && entry[k] !== undefined);
    if (named.length > 1)
      ctx.addIssue({
        code: "custom",
        message: `name one place, not ${named.join(" and ")} (add site: to narrow it to a site)`,
      });
    if (named.length === 0 && entry.site === undefined)
      ctx.addIssue({
        code: "custom",
        message: "name a place: space, page, project, issue or site",
      });
    if (entry.canary && entry.severity !== undefined)
      ctx.addIssue({
        code: "custom",
        message: "a canary is always high: drop severity",
        path: ["severity"],
      });
  })
  .transform((entry): WatchedPlace => {
    const kind = KINDS.find((k) => k !== "site" && entry[k] !== undefined) ?? "site";
    const site = entry.site ?? null;
    return {
      kind,
      key: kind === "site" ? (site ?? "") : (entry[kind] ?? ""),
      site: kind === "site" ? null : site,
      canary: entry.canary ?? false,
      severity: entry.canary ? "high" : (entry.severity ?? null),
    };
  });

export interface WatchedPlace {
  readonly kind: PlaceKind;
  /** The space, project or issue key, the page id, or the site's host name. */
  readonly key: string;
  /** Only on this site (a host name), for a space, page, project or issue. */
  readonly site: string | null;
  readonly canary: boolean;
  /** The entry's severity (a canary's is high); null: the rule's. */
  readonly severity: Severity | null;
}

export const watchSchema = z
  .array(entrySchema, { error: "expected a list of places ({ space: HR, severity: high }, …)" })
  .default([]);

/** How people read a place: "space HR", "page 123456 on acme.atlassian.net". */
export function placeName(place: Pick<WatchedPlace, "kind" | "key" | "site">): string {
  return `${place.kind} ${place.key}${place.site ? ` on ${place.site}` : ""}`;
}

const PLACES = { space: "spaces", page: "pages", project: "projects", issue: "issues" } as const;

function touches(event: StoredEvent, place: WatchedPlace): boolean {
  const site = event.siteHost?.toLowerCase() ?? null;
  if (place.kind === "site") return site === place.key;
  if (place.site !== null && site !== place.site) return false;
  const key = place.key.toLowerCase();
  return event.place[PLACES[place.kind]].some((value) => value.toLowerCase() === key);
}

/**
 * The watched places an MCP call touches, the most pressing first: canaries, then by severity.
 * The event's place is read from its raw JSON only when some entry names more than a site.
 */
export function watchedBy(event: StoredEvent, watch: readonly WatchedPlace[]): WatchedPlace[] {
  if (!event.isMcp || watch.length === 0) return [];
  const hits = watch.filter((place) => touches(event, place));
  const rank = (p: WatchedPlace) => (p.canary ? 10 : severityRank(p.severity ?? "medium"));
  return hits.sort((a, b) => rank(b) - rank(a));
}

/** An entry as the rules file writes it (for `rules check`). */
export function watchEntry(place: WatchedPlace): Record<string, unknown> {
  return {
    [place.kind]: place.key,
    ...(place.site ? { site: place.site } : {}),
    ...(place.canary ? { canary: true } : place.severity ? { severity: place.severity } : {}),
  };
}

/**
 * A `tool:` or `site:` value no stored MCP call of the organization has: a typo there would
 * otherwise be answered "no activity", as if nobody had used the tool or the site.
 */
import { nearest } from "../nearest.js";
import type { ActivityStore } from "../store/activity.js";
import type { SeenColumn } from "../store/values-seen.js";
import { catalogueSpelling } from "./catalogue-spelling.js";
import type { Query } from "./types.js";

export interface UnseenValue {
  readonly key: "tool" | "site";
  readonly value: string;
  /** The stored value nearest it, when one is near enough to suggest. */
  readonly nearest?: string;
}

/** A `tool:` finds the tool called or the operation a wrapper ran. */
const CHECKED: ReadonlyArray<readonly ["tool" | "site", readonly SeenColumn[], "tools" | "sites"]> =
  [
    ["tool", ["tool", "operation"], "tools"],
    ["site", ["site_host"], "sites"],
  ];

/**
 * Whether a question's value finds stored calls: a site in any case; a tool as spelled, or in any
 * case when the catalogue knows it (getjiraissue), as `tool:` matches.
 */
function isSeen(key: "tool" | "site", value: string, seen: readonly string[]): boolean {
  if (key === "site") return seen.some((s) => s.toLowerCase() === value.toLowerCase());
  const spellings = new Set([value, catalogueSpelling(value)]);
  return seen.some((s) => spellings.has(s));
}

/** The first value of the question's `tool:` and `site:` that the organization's calls never had. */
export function unseenValue(
  store: Pick<ActivityStore, "valuesSeen">,
  orgId: string,
  query: Pick<Query, "tools" | "sites">,
): UnseenValue | undefined {
  for (const [key, columns, field] of CHECKED) {
    if (query[field].length === 0) continue;
    const seen = columns.flatMap((column) => store.valuesSeen(orgId, column));
    const value = query[field].find((v) => !isSeen(key, v, seen));
    if (value === undefined) continue;
    // A case-only difference is the nearest of all: tool:mycustomtool means the stored myCustomTool.
    const near = seen.find((s) => s.toLowerCase() === value.toLowerCase()) ?? nearest(value, seen);
    return { key, value, ...(near !== undefined ? { nearest: near } : {}) };
  }
  return undefined;
}

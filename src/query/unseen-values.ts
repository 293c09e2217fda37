/**
 * A `tool:` or `site:` value no stored MCP call of the organization has: a typo there would
 * otherwise be answered "no activity", as if nobody had used the tool or the site.
 */
import { nearest } from "../nearest.js";
import type { ActivityStore } from "../store/activity.js";
import type { SeenColumn } from "../store/values-seen.js";
import type { Query } from "./types.js";

export interface UnseenValue {
  readonly key: "tool" | "site";
  readonly value: string;
  /** The stored value nearest it, when one is near enough to suggest. */
  readonly nearest?: string;
}

const CHECKED: ReadonlyArray<readonly ["tool" | "site", SeenColumn, "tools" | "sites"]> = [
  ["tool", "tool", "tools"],
  ["site", "site_host", "sites"],
];

/** The first value of the question's `tool:` and `site:` that the organization's calls never had. */
export function unseenValue(
  store: Pick<ActivityStore, "valuesSeen">,
  orgId: string,
  query: Pick<Query, "tools" | "sites">,
): UnseenValue | undefined {
  for (const [key, column, field] of CHECKED) {
    if (query[field].length === 0) continue;
    const seen = store.valuesSeen(orgId, column);
    // A catalogued tool is found in any case (getjiraissue), a site always is.
    const stored = new Set(seen.map((v) => v.toLowerCase()));
    const value = query[field].find((v) => !stored.has(v.toLowerCase()));
    if (value === undefined) continue;
    const near = nearest(value, seen);
    return { key, value, ...(near !== undefined ? { nearest: near } : {}) };
  }
  return undefined;
}

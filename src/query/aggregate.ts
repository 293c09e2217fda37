import type { ActivityRow, ActivitySummary } from "../domain/activity.js";

export interface Aggregate {
  readonly summary: ActivitySummary;
  readonly histogram: number[];
  readonly topTools: Array<{ key: string; count: number }>;
  readonly topResources: Array<{ key: string; count: number }>;
  readonly userIds: string[];
}

function top(counts: Map<string, number>, n: number): Array<{ key: string; count: number }> {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, n)
    .map(([key, count]) => ({ key, count }));
}

const bump = (map: Map<string, number>, key: string | null) => {
  if (key !== null) map.set(key, (map.get(key) ?? 0) + 1);
};

/** Summary, sparkline buckets and top lists of the matching rows, in one pass. */
export function aggregate(
  rows: Iterable<ActivityRow>,
  since: number,
  until: number,
  buckets: number,
): Aggregate {
  const width = Math.max(1, Math.ceil((until - since) / buckets));
  const histogram = new Array<number>(buckets).fill(0);
  const users = new Set<string>();
  const tools = new Map<string, number>();
  const resources = new Map<string, number>();
  const sites = new Set<string>();
  const byClass = new Map<string, number>();
  const byAuth = new Map<string, number>();
  let calls = 0;
  let first: number | null = null;
  let last: number | null = null;
  for (const row of rows) {
    calls++;
    if (row.userId !== null) users.add(row.userId);
    if (row.siteHost !== null) sites.add(row.siteHost);
    bump(tools, row.tool);
    bump(resources, row.resource);
    bump(byClass, row.toolClass ?? "unknown");
    bump(byAuth, row.authKind);
    first = first === null ? row.time : Math.min(first, row.time);
    last = last === null ? row.time : Math.max(last, row.time);
    const bucket = Math.floor((row.time - since) / width);
    if (bucket >= 0 && bucket < buckets) histogram[bucket] = (histogram[bucket] ?? 0) + 1;
  }
  return {
    summary: {
      calls,
      people: users.size,
      tools: tools.size,
      sites: sites.size,
      firstSeen: first,
      lastSeen: last,
      byClass: Object.fromEntries(byClass),
      byAuth: Object.fromEntries(byAuth),
    },
    histogram,
    topTools: top(tools, 5),
    topResources: top(resources, 5),
    userIds: [...users],
  };
}

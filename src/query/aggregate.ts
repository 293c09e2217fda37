import type { ActivityRow, ActivitySummary } from "../domain/activity.js";
import { calledTool } from "../domain/event.js";

export interface Aggregate {
  readonly summary: ActivitySummary;
  readonly histogram: number[];
  readonly topTools: Array<{ key: string; count: number }>;
  readonly topResources: Array<{ key: string; count: number }>;
}

/** The `n` most counted keys, most first; ties in code-point order of the key. */
export function top(
  counts: ReadonlyMap<string, number>,
  n: number,
): Array<{ key: string; count: number }> {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, n)
    .map(([key, count]) => ({ key, count }));
}

const bump = (map: Map<string, number>, key: string | null) => {
  if (key !== null) map.set(key, (map.get(key) ?? 0) + 1);
};

/**
 * Summary, sparkline buckets and top lists of the matching rows, added in as many parts as the
 * rows are read in (in any order), then read once.
 */
export class Tally {
  private readonly width: number;
  private readonly histogram: number[];
  private readonly people = new Set<string>();
  private readonly tools = new Map<string, number>();
  private readonly resources = new Map<string, number>();
  private readonly sites = new Set<string>();
  private readonly byClass = new Map<string, number>();
  private readonly byAuth = new Map<string, number>();
  private calls = 0;
  private first: number | null = null;
  private last: number | null = null;

  constructor(
    private readonly since: number,
    until: number,
    private readonly buckets: number,
  ) {
    this.width = Math.max(1, Math.ceil((until - since) / buckets));
    this.histogram = new Array<number>(buckets).fill(0);
  }

  add(rows: Iterable<ActivityRow>): void {
    for (const row of rows) {
      this.calls++;
      if (row.person !== null) this.people.add(row.person);
      if (row.siteHost !== null) this.sites.add(row.siteHost);
      bump(this.tools, calledTool(row));
      bump(this.resources, row.resource);
      bump(this.byClass, row.toolClass ?? "unknown");
      bump(this.byAuth, row.authKind);
      this.first = this.first === null ? row.time : Math.min(this.first, row.time);
      this.last = this.last === null ? row.time : Math.max(this.last, row.time);
      const bucket = Math.floor((row.time - this.since) / this.width);
      if (bucket >= 0 && bucket < this.buckets)
        this.histogram[bucket] = (this.histogram[bucket] ?? 0) + 1;
    }
  }

  result(): Aggregate {
    return {
      summary: {
        calls: this.calls,
        people: this.people.size,
        tools: this.tools.size,
        sites: this.sites.size,
        firstSeen: this.first,
        lastSeen: this.last,
        byClass: Object.fromEntries(this.byClass),
        byAuth: Object.fromEntries(this.byAuth),
      },
      histogram: [...this.histogram],
      topTools: top(this.tools, 5),
      topResources: top(this.resources, 5),
    };
  }
}

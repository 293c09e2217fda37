import type { ActivityResult } from "../domain/activity.js";
import { describeQuery } from "../query/parse.js";
import type { Query } from "../query/types.js";
import { isoOrNull } from "../time-units.js";

/** The answer as `--json` prints it: the query's result without raw events, and its caveats. */
export function jsonAnswer(
  query: Query,
  orgId: string | null,
  partial: boolean,
  prunedBefore: number | undefined,
  result: ActivityResult,
  note?: string,
): string {
  const latest = result.latest.map(({ raw: _raw, ...e }) => e);
  const answer = {
    query: describeQuery(query),
    orgId,
    partial,
    prunedBefore: isoOrNull(prunedBefore ?? null),
    ...result,
    latest,
  };
  return `${JSON.stringify(note === undefined ? answer : { ...answer, note }, null, 2)}\n`;
}

/** Rows as aligned columns, each cell cut to 40 characters. */
export function table(header: string[], rows: string[][]): string {
  const cut = (s: string) => (s.length > 40 ? `${s.slice(0, 39)}…` : s);
  const all = [header, ...rows.map((r) => r.map(cut))];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i]?.length ?? 0)));
  return `${all
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n")}\n`;
}

import type { ActivityResult } from "../domain/activity.js";
import { oneLine } from "../one-line.js";
import { describeQuery } from "../query/parse.js";
import type { Query } from "../query/types.js";
import { truncate } from "../slack/escape.js";
import { isoOrNull } from "../time-units.js";
import { wallTime } from "../time-zone.js";
import type { CommandZone } from "./command-zone.js";

/**
 * The window a question resolved to, in the zone its dates were read in and, unless that is UTC,
 * in UTC, as the times printed are: "window: 2026-11-04 00:00 up to 2026-11-05 00:00 Asia/Kolkata
 * (the shell's time zone, TZ), 2026-11-03 18:30 up to 2026-11-04 18:30 UTC".
 */
export function windowLine(
  query: Pick<Query, "since" | "until">,
  { zone, source }: CommandZone,
): string {
  const span = (z: string) => `${wallTime(query.since, z)} up to ${wallTime(query.until, z)} ${z}`;
  const utc = zone === "UTC" ? "" : `, ${span("UTC")}`;
  return `window: ${span(zone)} (${source})${utc}`;
}

/** The answer as `--json` prints it: the query's result without raw events, and its caveats. */
export function jsonAnswer(
  query: Query,
  orgId: string | null,
  partial: boolean,
  prunedBefore: number | undefined,
  result: ActivityResult,
  timeZone: string,
  note?: string,
): string {
  const latest = result.latest.map(({ raw: _raw, ...e }) => e);
  const answer = {
    query: describeQuery(query),
    // The window the question resolved to, and the zone its dates were read in.
    window: { since: isoOrNull(query.since), until: isoOrNull(query.until), timeZone },
    orgId,
    partial,
    prunedBefore: isoOrNull(prunedBefore ?? null),
    ...result,
    latest,
  };
  return `${JSON.stringify(note === undefined ? answer : { ...answer, note }, null, 2)}\n`;
}

/** A stored value as the term that asks for it, on one line: `tool:x`, `user:"Ann Lee"`. */
export function asTerm(key: string, value: string): string {
  return `${key}:${/\s/.test(value) ? `"${oneLine(value)}"` : value}`;
}

/**
 * Rows as aligned columns, each cell on one line (see oneLine) and cut to 40 characters (code
 * points), never inside an emoji, a flag or a letter and its accents (see truncate).
 */
export function table(header: string[], rows: string[][]): string {
  const cut = (cell: string) => truncate(oneLine(cell), 40);
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

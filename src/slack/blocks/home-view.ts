import type * as types from "@slack/types";
import { fitLines } from "./limits.js";
import { type RankedLabel, rankedLabel } from "./person-labels.js";

type KnownBlock = types.KnownBlock;

/** Blocks in one App Home view (Slack: 100). */
export const VIEW_BLOCKS = 100;

/** What views.publish is given: the home view's blocks, and a line for the outbox's records. */
export interface HomeView {
  readonly text: string;
  readonly blocks: KnownBlock[];
}

export const section = (text: string): KnownBlock => ({
  type: "section",
  text: { type: "mrkdwn", text: fitLines(text) },
});

export const context = (text: string): KnownBlock => ({
  type: "context",
  elements: [{ type: "mrkdwn", text }],
});

const BAR_WIDTH = 20;

/** Characters of a name beside a text bar (what tells it apart from another comes after). */
export const BAR_NAME = 60;

/** Ranked names as text bars, in a code block: `████████░░  120  alice`. Names escaped. */
export function textBars(ranked: readonly RankedLabel[], empty: string): string {
  if (ranked.length === 0) return `_${empty}_`;
  const top = Math.max(...ranked.map((r) => r.count), 1);
  const width = String(top).length;
  const lines = ranked.map((r) => {
    const filled = Math.max(1, Math.round((r.count / top) * BAR_WIDTH));
    const bar = "█".repeat(filled) + "░".repeat(BAR_WIDTH - filled);
    return `${bar} ${String(r.count).padStart(width)}  ${rankedLabel(r, BAR_NAME)}`;
  });
  return `\`\`\`${lines.join("\n")}\`\`\``;
}

/** A day (YYYY-MM-DD) as "Mon 3 Mar". */
export function dayLabel(day: string): string {
  const date = new Date(`${day}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  const weekday = date.toLocaleDateString("en-GB", { weekday: "short", timeZone: "UTC" });
  const rest = date.toLocaleDateString("en-GB", {
    day: "numeric",
    month: "short",
    timeZone: "UTC",
  });
  return `${weekday} ${rest}`;
}

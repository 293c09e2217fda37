import type * as types from "@slack/types";
import { mrkdwn } from "../escape.js";

/** Rows one reply lists at most (a message holds 50 blocks; the settings reply holds two lists). */
export const SHOWN = 15;

/** " in *Acme*", when several organizations are watched. */
export const inOrg = (name: string | undefined) => (name ? ` in *${mrkdwn(name, 200)}*` : "");

/** A list in `/mcp-activity settings`: its heading, the first SHOWN rows, and what it leaves out. */
export function listBlocks(
  heading: string,
  rows: readonly types.KnownBlock[],
  total: number,
  more: (n: number) => string,
): types.KnownBlock[] {
  const left = total - rows.length;
  return [
    { type: "divider" },
    { type: "section", text: { type: "mrkdwn", text: heading } },
    ...rows,
    ...(left > 0
      ? [{ type: "context" as const, elements: [{ type: "mrkdwn" as const, text: more(left) }] }]
      : []),
  ];
}

/** " (France only)": the one subject a mute or suppression covers; nothing when it covers every one. */
export const onlySubject = (q: { readonly subjectLabel?: string }): string =>
  q.subjectLabel === undefined ? "" : ` (${mrkdwn(q.subjectLabel, 200)} only)`;

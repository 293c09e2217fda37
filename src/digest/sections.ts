import type * as types from "@slack/types";
import type { DigestData } from "../domain/digest.js";
import { fitLines } from "../slack/blocks/limits.js";
import {
  accountLabels,
  type RankedLabel,
  rankedLabel,
  rankedLabels,
} from "../slack/blocks/person-labels.js";
import { mrkdwn, slackDate } from "../slack/escape.js";
import { DAY, HOUR } from "../time-units.js";
import { counted, lagWords } from "../words.js";

/** The pieces every digest is built of, pure: sections within Slack's limits, changes, lists. */

export type Block = types.KnownBlock;

/** Characters of blocks in the parent message; the rest goes to the thread. */
const PARENT_BUDGET = 6_000;
const SECTION_MAX = 2_900;

export const section = (text: string): Block => ({
  type: "section",
  text: { type: "mrkdwn", text: fitLines(text, SECTION_MAX) },
});

export function context(text: string): Block {
  return { type: "context", elements: [{ type: "mrkdwn", text: fitLines(text, SECTION_MAX) }] };
}

/** The change of a figure against the span it is compared with: " (▲12%)", " (=)", " (new)". */
export function delta(now: number, before: number): string {
  if (before === 0) return now === 0 ? "" : " (new)";
  const pct = Math.round(((now - before) / before) * 100);
  return pct === 0 ? " (=)" : ` (${pct > 0 ? "▲" : "▼"}${Math.abs(pct)}%)`;
}

/** Characters of a name in a top list (what tells it apart from another comes after). */
const TOP_NAME = 100;

function list(rows: readonly RankedLabel[]): string {
  return rows.length === 0
    ? "—"
    : rows.map((r) => `${r.count} · ${rankedLabel(r, TOP_NAME)}`).join("\n");
}

/** A bullet list that stops, saying how many more, before a section's limit. */
export function bullets(items: readonly string[], more = 0, budget = 2_400): string {
  const shown: string[] = [];
  let used = 0;
  for (const item of items) {
    if (used + item.length + 3 > budget) break;
    shown.push(`• ${item}`);
    used += item.length + 3;
  }
  const rest = items.length - shown.length + more;
  return shown.join("\n") + (rest > 0 ? `\n…and ${rest} more` : "");
}

/** "hour", "3 h", "day", "2 days": the width of a chart bucket in words. */
/**
 * The calls by class, `read 3 · search 0 · …`: admin, and other (calls that named no tool), only
 * when there were any.
 */
export function classSplit(byClass: Readonly<Record<string, number>>): string {
  const always = ["read", "search", "write", "destructive"];
  return [...always, "admin", "unknown"]
    .filter((k) => always.includes(k) || (byClass[k] ?? 0) > 0)
    .map((k) => `${k === "unknown" ? "other" : k} ${byClass[k] ?? 0}`)
    .join(" · ");
}

export function widthWords(ms: number): string {
  if (ms === HOUR) return "hour";
  if (ms === DAY) return "day";
  return ms % DAY === 0 ? `${ms / DAY} days` : `${ms / HOUR} h`;
}

/** Whether the period is compared with the same span a week before rather than the span before. */
export function comparedWithWeekBefore(d: DigestData): boolean {
  return d.previousSince !== d.since - (d.until - d.since);
}

/** The people whose first MCP call is in the period, as bullet items. */
export function firstTimerItems(d: DigestData): string[] {
  const shown = d.firstTimers.slice(0, 15);
  // A name two of them share has each one's e-mail (else account id) beside it.
  const names = accountLabels(shown, 100);
  return shown.map(
    (f, i) =>
      `${names[i]}${f.app ? ` with ${mrkdwn(f.app, 40)}` : ""}${f.tool ? ` (first tool: ${mrkdwn(f.tool, 100)})` : ""}`,
  );
}

/** Top people and top tools, side by side. */
export function topFields(d: DigestData): Block {
  return {
    type: "section",
    fields: [
      { type: "mrkdwn", text: `*Top people*\n${list(rankedLabels(d.topPeople, TOP_NAME))}` },
      { type: "mrkdwn", text: `*Top tools*\n${list(d.topTools)}` },
    ],
  };
}

export function healthLine(d: DigestData): string {
  const h = d.health;
  const parts = [
    h.keyRejected
      ? ":warning: the organization API key is rejected (expired or wrong scope?)"
      : h.lastError
        ? ":warning: polling fails"
        : h.outsideBot
          ? "poller not known here (made by a command: the bot's /healthz has it)"
          : "poller ok",
    `lag ${h.lagSeconds === null ? "—" : lagWords(h.lagSeconds)}`,
    `${h.quarantined} quarantined events`,
  ];
  if (h.lastError && !h.keyRejected) parts.push(`last error: ${mrkdwn(h.lastError, 200)}`);
  return `Health: ${parts.join(" · ")}`;
}

/**
 * What a digest says under its title: that it is late, and that the audit log could not be read
 * to its period's end (`readTo`: how far it was read, null if not since the bot started).
 */
export interface DigestNotes {
  readonly late: boolean;
  readonly readTo?: number | null;
  /** Retention deleted the calls before this time, within the period or the one it is compared with. */
  readonly deletedBefore?: number;
  /**
   * The history fetched on first start (`BACKFILL_DAYS`) begins at this time, within the period or
   * the one it is compared with: nothing before it was ever read.
   */
  readonly fetchedFrom?: number;
}

/** Whether a change against the hours compared is shown: none against hours partly gone or never read. */
export const comparable = (notes: DigestNotes): boolean =>
  notes.deletedBefore === undefined && notes.fetchedFrom === undefined;

/**
 * What retention deleted of the period or of the hours it is compared with, or "": no change is
 * shown against what is partly gone.
 */
export function deletedLine(notes: DigestNotes, since: number): string {
  const cut = notes.deletedBefore;
  if (cut === undefined) return "";
  return cut > since
    ? `\n_Retention (\`RETENTION_DAYS\`) deleted the calls before ${slackDate(cut)}: this counts what was kept of them, and shows no change._`
    : `\n_No change shown: retention (\`RETENTION_DAYS\`) deleted the calls before ${slackDate(cut)}, part of the hours compared._`;
}

/**
 * What of the period, or of the hours it is compared with, is before the history fetched on first
 * start, or "": no change is shown against hours never read.
 */
export function unfetchedLine(notes: DigestNotes, since: number): string {
  const from = notes.fetchedFrom;
  if (from === undefined) return "";
  return from > since
    ? `\n_The history fetched on first start (\`BACKFILL_DAYS\`) begins at ${slackDate(from)}: this counts the calls from then, and shows no change._`
    : `\n_No change shown: the hours compared are only partly in the history fetched on first start (\`BACKFILL_DAYS\`), which begins at ${slackDate(from)}._`;
}

/**
 * The warning of a digest made without the audit log read to the end of its period (`until`), or
 * "". Read past its end but not far enough for Atlassian to have recorded its last calls, only
 * those may be missing.
 */
export function shortReadLine(notes: DigestNotes, until: number): string {
  if (notes.readTo === undefined) return "";
  const after =
    notes.readTo === null
      ? "calls made near its end may be missing"
      : notes.readTo >= until
        ? "calls made in its last seconds may be missing (Atlassian had not recorded them when the log was last read)"
        : `calls Atlassian recorded after ${slackDate(notes.readTo)} are not counted`;
  return `\n:warning: *The audit log could not be read to the end of this period*: ${after} (see Health).`;
}

/** The same for the message's plain text (the notification). */
export function shortReadNote(notes: DigestNotes): string {
  return notes.readTo === undefined ? "" : " (the audit log could not be read to its end)";
}

/**
 * The posted alerts still open, however long ago they were raised, or null when none is: an
 * alert nobody handled is named in every digest until someone does, after its reminders stopped.
 */
export function stillOpenSection(d: DigestData): Block | null {
  if (d.openAlerts.length === 0) return null;
  const open = d.openAlerts.map(
    (a) =>
      `${a.link ? `<${a.link}|#${a.id}>` : `#${a.id}`} ${a.severity} · ${mrkdwn(a.title, 150)}${a.createdAt < d.since ? ` · since ${slackDate(a.createdAt)}` : ""}`,
  );
  return section(`*Still open*\n${bullets(open, d.openAlertCount - open.length)}`);
}

/** " 2 alerts still open", for a quiet period's notification text, or "". */
export function stillOpenNote(d: DigestData): string {
  return d.openAlertCount === 0 ? "" : ` ${counted(d.openAlertCount, "alert")} still open.`;
}

/**
 * MCP calls dated in earlier periods that were stored after their digest was made (Atlassian
 * recorded them late, or the bot read them late): said by the next one of its kind, under its
 * title, as in no digest of that kind's figures (whether a daily counted what a weekly missed
 * depends on both schedules: not said).
 */
export function arrivedLateLine(d: DigestData, kind: "daily" | "weekly"): string {
  const late = d.arrivedLate;
  if (late === null) return "";
  const by = late.people > 0 ? ` by ${counted(late.people, "person", "people")}` : "";
  const them = late.calls === 1 ? "it" : "them";
  const after =
    kind === "weekly"
      ? `from earlier weeks arrived after the last weekly digest (earliest ${slackDate(late.earliest)}): no weekly digest's figures count ${them}.`
      : `from earlier periods arrived after their digest (earliest ${slackDate(late.earliest)}): no daily digest's figures count ${them}.`;
  return `\n:hourglass: ${counted(late.calls, "MCP call")}${by} ${after}`;
}

/** A quiet period's one line: "No MCP activity", or only none stored when the log was read short. */
export function quietLine(notes: DigestNotes): string {
  return notes.readTo === undefined
    ? "No MCP activity in this period."
    : "No MCP activity stored for this period.";
}

/** The parts that fit in the parent message, in order; the rest go to its thread, one reply each. */
export function splitParts(parts: readonly Block[][]): { blocks: Block[]; replies: Block[][] } {
  const blocks: Block[] = [];
  const replies: Block[][] = [];
  let used = 0;
  for (const part of parts) {
    const size = JSON.stringify(part).length;
    if (replies.length === 0 && used + size <= PARENT_BUDGET) {
      blocks.push(...part);
      used += size;
    } else {
      replies.push(part);
    }
  }
  return { blocks, replies };
}

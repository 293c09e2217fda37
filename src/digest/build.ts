import type { DigestData, DigestMessage, NamedFinding } from "../domain/digest.js";
import { sparkline } from "../query/sparkline.js";
import { accountLabels } from "../slack/blocks/person-labels.js";
import { mrkdwn, slackDate } from "../slack/escape.js";
import { counted } from "../words.js";
import {
  arrivedLateLine,
  type Block,
  bullets,
  classSplit,
  comparable,
  comparedWithWeekBefore,
  context,
  type DigestNotes,
  deletedLine,
  delta,
  firstTimerItems,
  healthLine,
  quietLine,
  section,
  shortReadLine,
  shortReadNote,
  splitParts,
  stillOpenNote,
  stillOpenSection,
  topFields,
  unfetchedLine,
  widthWords,
} from "./sections.js";

export interface DigestOptions extends DigestNotes {
  /** `on-demand`: the last 24 hours, asked for now, outside the schedule. */
  readonly kind: "daily" | "backfill" | "on-demand";
  /** The organization's name, when several are watched: the title says whose digest it is. */
  readonly organization?: string;
}

/**
 * The digest of one period, pure: figures with their change against the span before (the same
 * hours a week before, for a period over a day that is not a week), the read/search/write/
 * destructive split, a sparkline of calls per hour (per wider bucket over a longer period), top
 * people and tools, first-time people, MCP app authorizations, API-token use, the period's alerts
 * by rule, every posted alert still open (those raised before the period too) with links, settings
 * changes and the poller's health. A quiet period says so in one line, with the people, app
 * authorizations and settings changes it names and what is still open.
 */
export function buildDigest(d: DigestData, options: DigestOptions): DigestMessage {
  const span = `${slackDate(d.since)} – ${slackDate(d.until)}`;
  const base =
    options.kind === "backfill"
      ? "MCP activity found in the history fetched on first start"
      : "Daily MCP activity digest";
  const title =
    options.organization === undefined ? base : `${base} · ${mrkdwn(options.organization, 200)}`;
  const note = options.late
    ? " _(posted late: the bot was down at the scheduled time)_"
    : options.kind === "on-demand"
      ? " _(on demand: the last 24 hours; the schedule is not affected)_"
      : "";
  const heading = `*${title}*${note}\n${span}${shortReadLine(options, d.until)}${deletedLine(options, d.since)}${unfetchedLine(options, d.since)}${arrivedLateLine(d, "daily")}`;
  const health = healthLine(d);
  const short = shortReadNote(options);
  const open = stillOpenSection(d);
  const firstTimers = firstTimerSection(d);
  const authorizations = findingSection(
    "MCP app authorizations",
    d.appAuthorizations,
    d.appAuthorizationCount,
  );
  const settings = findingSection("Settings changes", d.settingsChanges, d.settingsChangeCount);
  if (d.current.calls === 0 && d.alerts.length === 0) {
    const text = `${title}: no MCP activity ${options.readTo === undefined ? "in" : "stored for"} this period.${stillOpenNote(d)}${short}`;
    // A quiet period still names who first used MCP in calls that arrived late, and the
    // authorizations and settings changes it holds: their alerts may be raised after its end.
    return {
      text,
      blocks: [
        section(`${heading}\n${quietLine(options)}`),
        ...(firstTimers ? [firstTimers] : []),
        ...(authorizations ? [authorizations] : []),
        ...(open ? [open] : []),
        ...(settings ? [settings] : []),
        context(health),
      ],
      replies: [],
    };
  }
  const c = d.current;
  const p = d.previous;
  // History fetched on first start has nothing before it worth comparing with, nor hours
  // retention deleted part of, or before that history.
  const compared = options.kind !== "backfill" && comparable(options);
  const change = (now: number, before: number) => (compared ? delta(now, before) : "");
  const summary = [
    `*${c.calls}* MCP ${c.calls === 1 ? "call" : "calls"}${change(c.calls, p.calls)} · *${c.people}* ${c.people === 1 ? "person" : "people"}${change(c.people, p.people)} · *${c.tools}* ${c.tools === 1 ? "tool" : "tools"} · *${c.sites}* ${c.sites === 1 ? "site" : "sites"}`,
    classSplit(d.byClass),
    `\`${sparkline(d.buckets.map((h) => h.read + h.search + h.write + h.destructive + h.admin + h.other))}\` calls per ${widthWords(d.bucketMs)}`,
    ...(compared && comparedWithWeekBefore(d)
      ? ["_changes against the same hours a week before_"]
      : []),
  ].join("\n");
  const parts: Block[][] = [[section(`${heading}\n${summary}`)], [topFields(d)]];
  if (firstTimers) parts.push([firstTimers]);
  if (authorizations) parts.push([authorizations]);
  if (d.apiToken.calls > 0) {
    const named = accountLabels(d.apiToken.accounts.slice(0, 10), 80);
    const others = d.apiToken.accounts.length - named.length;
    const who = `${named.join(", ")}${others > 0 ? ` and ${others} more` : ""}`;
    parts.push([
      section(
        `*API-token MCP use* — end user unknown\n${counted(d.apiToken.calls, "call")} by ${who}`,
      ),
    ]);
  }
  // Two sections, so that a long list by rule never cuts how many are still open.
  const alerts = [
    ...(d.alerts.length > 0 ? [section(`*Alerts*\n${bullets(d.alerts.map(ruleLine))}`)] : []),
    ...(open ? [open] : []),
  ];
  if (alerts.length > 0) parts.push(alerts);
  if (settings) parts.push([settings]);
  parts.push([context(health)]);

  const { blocks, replies } = splitParts(parts);
  const text = `${title}: ${counted(c.calls, "MCP call")} by ${counted(c.people, "person", "people")}${short}`;
  return { text, blocks, replies };
}

/** The people whose first MCP call is new to the digest, if any. */
function firstTimerSection(d: DigestData): Block | undefined {
  if (d.firstTimers.length === 0) return undefined;
  const names = firstTimerItems(d);
  return section(
    `*:new: People who used MCP for the first time* — Atlassian does not log them connecting\n${bullets(names, d.firstTimerCount - names.length)}`,
  );
}

/**
 * A rule's findings the digest names, one line each, if any: the first ones, and how many more.
 * One whose alert was raised after its own period's digest says when it was made.
 */
function findingSection(
  heading: string,
  findings: readonly NamedFinding[],
  count: number,
): Block | undefined {
  if (findings.length === 0) return undefined;
  const line = (f: NamedFinding) =>
    f.arrivedLate === undefined
      ? mrkdwn(f.title, 200)
      : `:hourglass: ${mrkdwn(f.title, 200)} _(made ${slackDate(f.arrivedLate)}, noticed after that period's digest)_`;
  return section(`*${heading}*\n${bullets(findings.map(line), count - findings.length)}`);
}

/** One rule's alerts raised in the period: how many, how many still open, digest only, quieted. */
const ruleLine = (a: DigestData["alerts"][number]) =>
  `${mrkdwn(a.ruleId, 80)}: ${a.raised} raised, ${a.open} open${a.digestOnly > 0 ? `, ${a.digestOnly} digest only` : ""}${a.quieted > 0 ? `, ${a.quieted} quieted` : ""}`;

/** The digest as plain text, for `digest --dry-run` and the demo's console. */
export function digestText(message: DigestMessage): string {
  const plain = (s: string) =>
    s
      .replace(/<!date\^\d+\^[^|]*\|([^>]*)>/g, "$1")
      .replace(/<([^|>]+)\|([^>]+)>/g, "$2 ($1)")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&")
      .replace(/\*/g, "");
  const lines: string[] = [];
  const walk = (blocks: readonly Block[]) => {
    for (const block of blocks) {
      if (block.type === "section") {
        if (block.text) lines.push(plain(block.text.text));
        for (const f of block.fields ?? []) lines.push(plain(f.text));
      } else if (block.type === "context") {
        for (const e of block.elements) if ("text" in e) lines.push(plain(e.text));
      }
    }
  };
  walk(message.blocks);
  for (const reply of message.replies) {
    lines.push("  ↳ (in the thread)");
    walk(reply);
  }
  return `${lines.join("\n")}\n`;
}

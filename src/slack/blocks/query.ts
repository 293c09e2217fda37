import type * as types from "@slack/types";
import type { ActivityResult, PageCursor } from "../../domain/activity.js";
import { calledTool, TOOL_CLASSES } from "../../domain/event.js";
import type { HandedOver } from "../../domain/people-meant.js";
import { handedOverWords, type Quoting } from "../../query/handed-over-words.js";
import { activityCounts } from "../../words.js";
import { mrkdwn, slackDate } from "../escape.js";
import { button } from "./button.js";
import { fitLines, LIMITS } from "./limits.js";

type Block = types.KnownBlock;

export const QUERY_ACTIONS = { more: "query_more", export: "query_export" } as const;

export interface Reply {
  readonly text: string;
  readonly blocks: Block[];
}

export const section = (text: string): Block => ({
  type: "section",
  text: { type: "mrkdwn", text: fitLines(text) },
});
export const context = (text: string): Block => ({
  type: "context",
  elements: [{ type: "mrkdwn", text }],
});

/** Said instead of the buttons a question too long for them cannot have. */
const TOO_LONG_FOR_BUTTONS =
  "This question is too long to page through or export from here: narrow it, or add `format:csv` to it to get every row as a file.";
/** Show more carries the page's position besides the question: it may not fit where Export does. */
const TOO_LONG_TO_PAGE =
  "This question is too long to page through from here: *Export CSV* (or `format:csv`) gives every row.";

/** Characters of event lines one reply shows; the rest is behind "Show more". */
const EVENT_BUDGET = 6_000;

/**
 * The lines in runs that each fit a section's text, the first after `heading`, at most 12 lines a
 * run: an event's line can be ~450 characters (a long page title, a long name).
 */
function sectionRuns(lines: readonly string[], heading: string): string[][] {
  const runs: string[][] = [];
  let run: string[] = [];
  let size = heading.length;
  for (const line of lines) {
    if (run.length === 12 || (run.length > 0 && size + 1 + line.length > LIMITS.sectionText)) {
      runs.push(run);
      run = [];
      size = 0;
    }
    run.push(line);
    size += line.length + 1;
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

function table(title: string, rows: ReadonlyArray<{ key: string; count: number }>): string {
  if (rows.length === 0) return `*${title}*\n—`;
  return `*${title}*\n${rows.map((r) => `${r.count} · ${mrkdwn(r.key, 120)}`).join("\n")}`;
}

function split(counts: Readonly<Record<string, number>>, order: readonly string[]): string {
  return order
    .filter((key) => (counts[key] ?? 0) > 0)
    .map((key) => `${key} ${counts[key]}`)
    .join(" · ");
}

/** What an answer must say it leaves out. */
export interface AnswerNotes {
  /** The first poll is still reading the audit log's history: what is stored is not all yet. */
  readonly backfilling?: boolean;
  /** The window reaches back before this time, whose events retention deleted. */
  readonly prunedBefore?: number | undefined;
  /** The answer starts at `prunedBefore` (someone's own calls): nothing before it is shown. */
  readonly fromCut?: boolean;
  /** Addresses asked about that others had before: their calls are left out. */
  readonly handedOver?: readonly HandedOver[];
}

/** Slack's quoting: what to type in code, escaped; an outside string escaped. */
const SLACK_QUOTING: Quoting = {
  code: (s) => `\`${mrkdwn(s, 200)}\``,
  text: (s) => mrkdwn(s, 100),
};

/** Said of a window that reaches back past what retention deleted; `fromCut`: the answer starts then. */
export function prunedWords(before: number, fromCut = false): string {
  const shown = fromCut ? "this answer starts then" : "only what was kept of that time is counted";
  return `Events before ${slackDate(before)} were deleted by retention (\`RETENTION_DAYS\`): ${shown}.`;
}

export const BACKFILLING_WORDS =
  "The first poll is still reading the audit log's history, so this is not all of it yet: ask again in a few minutes (`/mcp-activity status` shows the progress).";

/** What an answer leaves out, in words (empty when nothing). */
export function notesText(notes: AnswerNotes): string {
  return [
    notes.backfilling ? BACKFILLING_WORDS : undefined,
    notes.prunedBefore === undefined ? undefined : prunedWords(notes.prunedBefore, notes.fromCut),
    ...(notes.handedOver ?? []).map((h) => handedOverWords(h, SLACK_QUOTING)),
  ]
    .filter((n) => n !== undefined)
    .join("\n");
}

/** The newest open alerts about the people asked about, and how many more; none: nothing. */
function openAlertsBlock({ alerts, total }: ActivityResult["openAlerts"]): Block | undefined {
  if (alerts.length === 0) return undefined;
  const lines = alerts.map((a) => `• #${a.id} ${a.severity} · ${mrkdwn(a.title, 200)}`);
  if (total > alerts.length) lines.push(`…and ${total - alerts.length} older open alerts`);
  return section(`*Open alerts for these people*\n${lines.join("\n")}`);
}

/**
 * The answer to an activity question: summary, sparkline, top tools and resources, open alerts,
 * the latest events (as many as fit), and buttons to page on and to export. `more(before)` gives
 * the value of the Show-more button, or undefined when it cannot be built (the answer then says
 * how to get the rest). `unseen` says why an empty answer is empty: a value no stored call had
 * (mrkdwn, escaped).
 */
export function activityReply(
  heading: string,
  result: ActivityResult,
  buttons: { more: (before: PageCursor) => string | undefined; export: string | undefined },
  notes: AnswerNotes = {},
  unseen?: string,
): Reply {
  const s = result.summary;
  const text = activityCounts(s);
  const partial = notesText(notes);
  const said = partial ? context(partial) : undefined;
  const alerts = openAlertsBlock(result.openAlerts);
  if (s.calls === 0) {
    return {
      text,
      blocks: [
        section(`*${mrkdwn(heading, 500)}*\nNo MCP activity matches.${unseen ? ` ${unseen}` : ""}`),
        ...(alerts ? [alerts] : []),
        // A value no call ever had is not found by a longer window.
        ...(said
          ? [said]
          : unseen
            ? []
            : [context("Try a longer window (up to `since:400d`) or fewer terms.")]),
      ],
    };
  }
  const blocks: Block[] = [
    section(`*${mrkdwn(heading, 500)}*\n${text}\n\`${result.sparkline}\``),
    {
      type: "section",
      fields: [
        {
          type: "mrkdwn",
          text: `*Split*\n${split(s.byClass, [...TOOL_CLASSES, "unknown"]) || "—"}`,
        },
        {
          type: "mrkdwn",
          text: `*Auth*\n${split(s.byAuth, ["oauth", "api-token", "unknown"]) || "—"}`,
        },
        { type: "mrkdwn", text: `*First seen*\n${s.firstSeen ? slackDate(s.firstSeen) : "—"}` },
        { type: "mrkdwn", text: `*Last seen*\n${s.lastSeen ? slackDate(s.lastSeen) : "—"}` },
        { type: "mrkdwn", text: fitLines(table("Top tools", result.topTools), LIMITS.field) },
        {
          type: "mrkdwn",
          text: fitLines(table("Top resources", result.topResources), LIMITS.field),
        },
      ],
    },
  ];
  if (alerts) blocks.push(alerts);
  const lines: string[] = [];
  let used = 0;
  let lastShown: PageCursor | undefined;
  for (const e of result.latest) {
    const where = [e.resource, e.siteHost].filter(Boolean).join(" · ");
    const line = `${slackDate(e.time, "{date_short} {time}")} · *${mrkdwn(calledTool(e) ?? e.action, 120)}* · ${mrkdwn(where || "—", 200)} · ${mrkdwn(e.userName ?? e.userEmail ?? "?", 80)} · ${e.authKind}`;
    if (used + line.length > EVENT_BUDGET) break;
    lines.push(line);
    used += line.length;
    lastShown = { time: e.time, seq: e.seq };
  }
  for (const [i, run] of sectionRuns(lines, "*Latest*\n").entries())
    blocks.push(section((i === 0 ? "*Latest*\n" : "") + run.join("\n")));
  // Where Show more goes on from, when more rows exist.
  const pageOn = lines.length < result.latest.length || result.more ? lastShown : undefined;
  const more = pageOn && buttons.more(pageOn);
  const elements: types.Button[] = [];
  if (more) elements.push(button(QUERY_ACTIONS.more, "Show more", more));
  if (buttons.export) elements.push(button(QUERY_ACTIONS.export, "Export CSV", buttons.export));
  if (elements.length > 0) blocks.push({ type: "actions", elements });
  // A button carries its question: one too long for it has none, and the rest must not vanish.
  if (!buttons.export) blocks.push(context(TOO_LONG_FOR_BUTTONS));
  else if (pageOn && !more) blocks.push(context(TOO_LONG_TO_PAGE));
  if (said) blocks.push(said);
  return { text, blocks: blocks.slice(0, LIMITS.blocks) };
}

/** An organization to choose from: its id, and its name when known. */
export interface Choice {
  readonly id: string;
  readonly name: string | undefined;
}

/**
 * A problem with what was asked, how to fix it and examples; `choices` (the watched
 * organizations) each on a line of their own, below in sections of their own (12 lines a
 * section, within its 3,000 characters): none left out, its id shown whatever its name's length.
 */
export function errorReply(problem: {
  message: string;
  suggestion?: string;
  choices?: readonly Choice[];
  examples: readonly string[];
}): Reply {
  const suggestion = problem.suggestion ? ` ${mrkdwn(problem.suggestion, 200)}` : "";
  const examples = problem.examples.map((e) => `\`/mcp-activity ${mrkdwn(e, 200)}\``).join("\n");
  const text = `${mrkdwn(problem.message, 500)}.${suggestion}`;
  const choices = (problem.choices ?? []).map(({ id, name }) =>
    name === undefined ? `• ${mrkdwn(id, 200)}` : `• ${mrkdwn(name, 100)} (${mrkdwn(id, 200)})`,
  );
  return {
    text,
    blocks: [
      section(`:warning: ${text}`),
      ...sectionRuns(choices, "").map((run) => section(run.join("\n"))),
      context(`For example:\n${examples}\n\`/mcp-activity help\` lists everything.`),
    ],
  };
}

export function noticeReply(text: string): Reply {
  return { text, blocks: [section(text)] };
}

export function helpReply(examples: readonly string[]): Reply {
  const text = [
    "*/mcp-activity* — what AI tools did in Atlassian through the Rovo MCP server, as whom.",
    "",
    "*Ask about activity* (default `since:7d`):",
    "`user:` name, e-mail, account id, `me` or @mention · `tool:` · `class:read|search|write|destructive|admin` · `product:` · `site:` · `action:` · `ip:` · `country:` · `auth:oauth|api-token` · `since:`/`until:` (`15m`, `24h`, `7d`, `2026-11-01`) · `limit:` (max 200) · `format:csv` · `org:` id or name (several organizations) · free words; for responders: `rule:` · `status:open|acknowledged|expected|true_positive`",
    ...examples.map((e) => `• \`/mcp-activity ${mrkdwn(e, 200)}\``),
    "",
    "*Other commands*: `settings [oauth|policy|domains|api-tokens|permissions|ip]` — which Atlassian admin settings to change · `status` — the bot's health · `help`",
    "Responders may ask about anyone; everyone else about themselves (`user:me`).",
  ].join("\n");
  return { text: "How to use /mcp-activity", blocks: [section(text)] };
}

import type * as types from "@slack/types";
import type { DigestData, DigestMessage } from "../domain/digest.js";
import { sparkline } from "../query/sparkline.js";
import { mrkdwn, slackDate } from "../slack/escape.js";

type Block = types.KnownBlock;

export interface DigestOptions {
  readonly kind: "daily" | "backfill";
  /** Posted after its scheduled time (the process was down then). */
  readonly late: boolean;
  /** The organization's name, when several are watched: the title says whose digest it is. */
  readonly organization?: string;
}

/** Characters of blocks in the parent message; the rest goes to the thread. */
const PARENT_BUDGET = 6_000;
const SECTION_MAX = 2_900;

/**
 * A section of whole lines within Slack's limit: text is cut between lines, after escaping, so
 * an escaped entity or a link is never split.
 */
export function fitSection(text: string, max = SECTION_MAX): string {
  if (text.length <= max) return text;
  const kept: string[] = [];
  let used = 0;
  for (const line of text.split("\n")) {
    if (used + line.length + 1 > max - 2) break;
    kept.push(line);
    used += line.length + 1;
  }
  return `${kept.join("\n")}\n…`;
}

const section = (text: string): Block => ({
  type: "section",
  text: { type: "mrkdwn", text: fitSection(text) },
});

function delta(now: number, before: number): string {
  if (before === 0) return now === 0 ? "" : " (new)";
  const pct = Math.round(((now - before) / before) * 100);
  return pct === 0 ? " (=)" : ` (${pct > 0 ? "▲" : "▼"}${Math.abs(pct)}%)`;
}

function list(rows: ReadonlyArray<{ key: string; count: number }>): string {
  return rows.length === 0 ? "—" : rows.map((r) => `${r.count} · ${mrkdwn(r.key, 100)}`).join("\n");
}

/** A bullet list that stops, saying how many more, before a section's limit. */
function bullets(items: readonly string[], more = 0, budget = 2_400): string {
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

/**
 * The digest of one period, pure: figures with their change against the period before, the
 * read/search/write/destructive split, an hourly sparkline, top people and tools, first-time
 * people, MCP app authorizations, API-token use, alerts by rule with links to the open ones,
 * settings changes and the poller's health. A quiet period says so in one line.
 */
export function buildDigest(d: DigestData, options: DigestOptions): DigestMessage {
  const span = `${slackDate(d.since)} – ${slackDate(d.until)}`;
  const base =
    options.kind === "backfill"
      ? "MCP activity found in the history fetched on first start"
      : "Daily MCP activity digest";
  const title =
    options.organization === undefined ? base : `${base} · ${mrkdwn(options.organization, 200)}`;
  const heading = `*${title}*${options.late ? " _(posted late: the bot was down at the scheduled time)_" : ""}\n${span}`;
  const health = healthLine(d);
  if (d.current.calls === 0 && d.alerts.length === 0) {
    const text = `${title}: no MCP activity in this period.`;
    return {
      text,
      blocks: [section(`${heading}\nNo MCP activity in this period.`), context(health)],
      replies: [],
    };
  }
  const c = d.current;
  const p = d.previous;
  // History fetched on first start has nothing before it worth comparing with.
  const change = (now: number, before: number) =>
    options.kind === "backfill" ? "" : delta(now, before);
  const summary = [
    `*${c.calls}* MCP calls${change(c.calls, p.calls)} · *${c.people}* people${change(c.people, p.people)} · *${c.tools}* tools · *${c.sites}* sites`,
    ["read", "search", "write", "destructive", "admin"]
      .filter((k) => k !== "admin" || (d.byClass[k] ?? 0) > 0)
      .map((k) => `${k} ${d.byClass[k] ?? 0}`)
      .join(" · "),
    `\`${sparkline(d.hours.map((h) => h.read + h.search + h.write + h.destructive))}\` calls per hour`,
  ].join("\n");
  const parts: Block[][] = [
    [section(`${heading}\n${summary}`)],
    [
      {
        type: "section",
        fields: [
          { type: "mrkdwn", text: `*Top people*\n${list(d.topPeople)}` },
          { type: "mrkdwn", text: `*Top tools*\n${list(d.topTools)}` },
        ],
      },
    ],
  ];
  if (d.firstTimers.length > 0) {
    const names = d.firstTimers
      .slice(0, 15)
      .map(
        (f) =>
          `${mrkdwn(f.name, 100)}${f.app ? ` with ${mrkdwn(f.app, 40)}` : ""}${f.tool ? ` (first tool: ${mrkdwn(f.tool, 60)})` : ""}`,
      );
    parts.push([
      section(
        `*:new: People who used MCP for the first time* — Atlassian does not log them connecting\n${bullets(names, d.firstTimers.length - names.length)}`,
      ),
    ]);
  }
  if (d.appAuthorizations.length > 0) {
    parts.push([
      section(
        `*MCP app authorizations*\n${bullets(d.appAuthorizations.map((a) => mrkdwn(a.title, 200)))}`,
      ),
    ]);
  }
  if (d.apiToken.calls > 0) {
    const who = d.apiToken.accounts
      .slice(0, 10)
      .map((a) => mrkdwn(a, 80))
      .join(", ");
    parts.push([
      section(`*API-token MCP use* — end user unknown\n${d.apiToken.calls} calls by ${who}`),
    ]);
  }
  if (d.alerts.length > 0) {
    const byRule = d.alerts.map(
      (a) =>
        `${a.ruleId}: ${a.raised} raised, ${a.open} open${a.suppressed > 0 ? `, ${a.suppressed} suppressed` : ""}`,
    );
    const open = d.openAlerts.map(
      (a) =>
        `${a.link ? `<${a.link}|#${a.id}>` : `#${a.id}`} ${a.severity} · ${mrkdwn(a.title, 150)}`,
    );
    parts.push([
      section(
        `*Alerts*\n${bullets(byRule)}${open.length > 0 ? `\n*Still open*\n${bullets(open)}` : ""}`,
      ),
    ]);
  }
  if (d.settingsChanges.length > 0) {
    parts.push([
      section(`*Settings changes*\n${bullets(d.settingsChanges.map((s) => mrkdwn(s.title, 200)))}`),
    ]);
  }
  parts.push([context(health)]);

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
  const text = `${title}: ${c.calls} MCP calls by ${c.people} people`;
  return { text, blocks, replies };
}

function context(text: string): Block {
  return { type: "context", elements: [{ type: "mrkdwn", text: fitSection(text) }] };
}

function healthLine(d: DigestData): string {
  const h = d.health;
  const parts = [
    h.keyRejected
      ? ":warning: the organization API key is rejected (expired or wrong scope?)"
      : "poller ok",
    `lag ${h.lagSeconds === null ? "—" : `${Math.round(h.lagSeconds / 60)} min`}`,
    `${h.quarantined} quarantined events`,
  ];
  if (h.lastError && !h.keyRejected) parts.push(`last error: ${mrkdwn(h.lastError, 200)}`);
  return `Health: ${parts.join(" · ")}`;
}

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

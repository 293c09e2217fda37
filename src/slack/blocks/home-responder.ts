import type * as types from "@slack/types";
import { deletedLine } from "../../digest/sections.js";
import type { Alert } from "../../domain/alert.js";
import type {
  CallFigures,
  OrganizationGlance,
  OrganizationHome,
  ResponderHome,
} from "../../domain/home.js";
import { SEVERITIES } from "../../domain/severity.js";
import { DAY } from "../../time-units.js";
import { offersLearning } from "../../triage/decide.js";
import { counted, lagWords } from "../../words.js";
import { cutMrkdwn, mrkdwn, slackDate, truncate } from "../escape.js";
import { buttons, SEVERITY_MARK } from "./alert.js";
import { ACTIONS } from "./alert-actions.js";
import { button } from "./button.js";
import { compactBlocks, compactRoom, needsAttention, openCount } from "./home-compact.js";
import { handledBlockId, handledBlocks, handledRoom } from "./home-handled.js";
import { BAR_NAME, context, type HomeView, section, textBars, VIEW_BLOCKS } from "./home-view.js";
import { learningBlocks } from "./learning.js";
import { LIMITS } from "./limits.js";
import { rankedLabels } from "./person-labels.js";
import { rowRef } from "./row-ref.js";

type KnownBlock = types.KnownBlock;

/** The most severe first. */
const BY_SEVERITY = [...SEVERITIES].reverse();

/**
 * Blocks of an organization besides its listed alerts: its name, the open-alert counts, how many
 * are not listed, two dividers, the figures, top people, top tools, health with the API key.
 */
const FIXED_PER_ORG = 9;
/**
 * Open alerts listed per organization at most (two blocks each: the alert and its buttons; two
 * more with the learning's Mute 30 days and Suppress).
 */
const MAX_ALERTS = 20;

/**
 * The blocks each organization's listed alerts may take, so the whole view fits in its 100;
 * `reserved`: the blocks of the handled alerts' list (see home-handled.ts) and of the
 * organizations shown in one line.
 */
function alertRoom(organizations: number, reserved: number): number {
  const n = Math.max(1, organizations);
  // The header, the updated line, the notice and its Undo.
  return Math.max(0, Math.floor((VIEW_BLOCKS - 4 - reserved - n * FIXED_PER_ORG) / n));
}

/** How a responder's Home shows its organizations. */
export interface HomeLayout {
  /** Shown in full: each lists some of its open alerts, with their buttons. */
  readonly full: number;
  /** Open alerts each lists at most, and the blocks they may take. */
  readonly limit: number;
  readonly room: number;
}

/**
 * The organizations in the order they are shown in full: those with open alerts with no message
 * of their own (handled here alone), then those needing attention (an unhealthy poller, a refused
 * key), then those with open alerts, then the rest.
 */
function byNeed<T extends OrganizationGlance>(organizations: readonly T[]): T[] {
  const rank = (o: OrganizationGlance) =>
    o.unposted > 0 ? 0 : needsAttention(o) ? 1 : openCount(o) > 0 ? 2 : 3;
  return [...organizations].sort((a, b) => rank(a) - rank(b));
}

/**
 * As many organizations in full as leave each room for an open alert with its buttons (8 when
 * nothing else takes room), the first by need; the others one line each, in the blocks their
 * lines take (see home-compact.ts).
 */
export function homeLayout(organizations: readonly OrganizationGlance[], reserved = 0): HomeLayout {
  const ordered = byNeed(organizations);
  // No more than leave each room for an alert and its buttons, whatever the others take.
  const most = Math.floor((VIEW_BLOCKS - 4 - reserved) / (FIXED_PER_ORG + 2));
  for (let full = Math.min(ordered.length, most); full > 0; full--) {
    const room = alertRoom(full, reserved + compactRoom(ordered.slice(full)));
    if (room >= 2) return { full, limit: Math.min(MAX_ALERTS, Math.floor(room / 2)), room };
  }
  return { full: 0, limit: 0, room: 0 };
}

function change(now: number, before: number): string {
  if (now === before) return "same";
  if (before === 0) return "new";
  const pct = Math.round(((now - before) / before) * 100);
  return `${pct > 0 ? "+" : ""}${pct}%`;
}

/**
 * The last 24 hours against the 24 before; alone, saying why as a digest does, when retention
 * deleted part of those hours (RETENTION_DAYS=1): no change against calls that are gone.
 */
function figures(o: OrganizationHome, now: number): string {
  const { today, yesterday, deletedBefore } = o;
  const row = (label: string, key: keyof CallFigures) =>
    deletedBefore === undefined
      ? `${label} *${today[key]}* (${yesterday[key]} before, ${change(today[key], yesterday[key])})`
      : `${label} *${today[key]}*`;
  return [
    deletedBefore === undefined
      ? "*Last 24 hours against the 24 before*"
      : `*Last 24 hours*${deletedLine({ late: false, deletedBefore }, now - DAY)}`,
    `${row("Calls", "calls")} · ${row("People", "people")}`,
    `${row("Writes", "writes")} · ${row("Destructive or admin", "deletes")}`,
  ].join("\n");
}

/** An open alert's buttons: the channel message's, Mute 30 days and Suppress included. */
function alertButtons(o: OrganizationHome, alert: Alert): KnownBlock[] {
  const learned = o.learned?.get(alert.id);
  return [
    buttons(alert),
    ...(learned && offersLearning(learned) ? learningBlocks(alert, learned) : []),
  ];
}

/**
 * Where the open alerts not listed are handled: those with no message of their own here, as those
 * above are handled; the others from their message in the alert channel.
 */
function moreLine(o: OrganizationHome, total: number, listed: readonly Alert[]): string {
  const unposted = o.unposted - listed.filter((a) => o.unpostedListed.has(a.id)).length;
  const posted = total - listed.length - unposted;
  const where = [
    ...(unposted > 0
      ? [`${unposted} with no message of their own, listed here as those above are handled`]
      : []),
    ...(posted > 0 ? [`${posted} in the alert channel, each with its buttons`] : []),
  ];
  return `…and ${counted(total - listed.length, "more open alert")}: ${where.join("; ")}.`;
}

function alertBlocks(o: OrganizationHome, limit: number, room: number): KnownBlock[] {
  const total = openCount(o);
  if (total === 0) return [section("*Open alerts*\nNone. ✅")];
  const bySeverity = BY_SEVERITY.filter((s) => (o.openBySeverity[s] ?? 0) > 0)
    .map((s) => `${SEVERITY_MARK[s] ?? ""} ${o.openBySeverity[s]} ${s}`)
    .join(" · ");
  const blocks: KnownBlock[] = [section(`*Open alerts: ${total}*\n${bySeverity}`)];
  const listed: Alert[] = [];
  let used = 0;
  for (const alert of o.openAlerts.slice(0, limit)) {
    const who = alert.userName ?? alert.userEmail ?? alert.userId ?? "unknown account";
    const said = section(
      // The severity in words too: the circles differ by colour alone.
      `${SEVERITY_MARK[alert.severity] ?? ""} *${mrkdwn(alert.title, 500)}*\n${alert.severity} · ${mrkdwn(who, 200)} · ${mrkdwn(alert.ruleId, 60)} · ${slackDate(alert.firstSeen)} · alert ${alert.id}`,
    );
    const whole = [said, ...alertButtons(o, alert)];
    // Alerts with the learning's buttons take more blocks: fewer are listed, and the first
    // is listed with the channel's buttons alone when the learning's do not fit.
    const shown = used + whole.length <= room || listed.length > 0 ? whole : [said, buttons(alert)];
    if (used + shown.length > room) break;
    blocks.push(...shown);
    used += shown.length;
    listed.push(alert);
  }
  if (total > listed.length) blocks.push(context(moreLine(o, total, listed)));
  return blocks;
}

function health(o: OrganizationHome): string {
  const h = o.health;
  const mark = h.healthy ? "✅ Healthy" : "⚠️ Needs attention";
  const poll =
    h.lastPoll === null ? "no successful poll yet" : `last poll ${slackDate(h.lastPoll)}`;
  const lag = h.lagSeconds === null ? "" : ` · ${lagWords(h.lagSeconds)} behind`;
  const problems = h.problems.slice(0, 5).map((p) => `\n• ${mrkdwn(p, 300)}`);
  return `*Health*: ${mark} · ${poll}${lag}${problems.join("")}`;
}

/** The key the audit log refuses now (401, 403), said beside its expiry date when one is set. */
function refusedKey(expires: number | undefined, now: number): string {
  if (expires === undefined)
    return "*API key*: 🔴 refused (401 or 403): the audit log can no longer be read. Check ATLASSIAN_API_KEY: it has expired, been revoked or lacks a scope.";
  const left = Math.ceil((expires - now) / DAY);
  const day = new Date(expires).toISOString().slice(0, 10);
  // On the day or after it: it expired (at some hour of that day or later).
  if (left <= 0)
    return `*API key*: 🔴 refused ${left === 0 ? "on" : "after"} its expiry date (${day}): it has expired or been revoked, so the audit log can no longer be read.`;
  return `*API key*: 🔴 refused (401 or 403) before its expiry date (${day}): it has been revoked or lacks a scope, so the audit log can no longer be read. Check ATLASSIAN_API_KEY.`;
}

function apiKey(o: OrganizationHome, now: number): string {
  if (o.apiKeyRejected) return refusedKey(o.apiKeyExpires, now);
  if (o.apiKeyExpires === undefined)
    return "*API key*: no expiry date set (ATLASSIAN_API_KEY_EXPIRES), so no warning comes before it expires.";
  const left = Math.ceil((o.apiKeyExpires - now) / DAY);
  const day = new Date(o.apiKeyExpires).toISOString().slice(0, 10);
  if (left === 0)
    return `*API key*: 🔴 expires today (${day}). Then the audit log can no longer be read: renew it now.`;
  // After the day, the polls decide (a refusal is said above).
  // Read after the day was over: the date is not the key's (a renewed key's old date).
  const { lastPoll } = o.health;
  if (left < 0 && lastPoll !== null && lastPoll >= o.apiKeyExpires + DAY)
    return `*API key*: ⚠️ ATLASSIAN_API_KEY_EXPIRES looks stale: it gives ${day}, and the key still reads the audit log after it. Set the key's expiry date.`;
  if (left < 0)
    return `*API key*: ⚠️ its expiry date (${day}) is past, and no poll since has read the audit log or been refused: whether the key still works is not known yet.`;
  const mark = left <= 14 ? "⚠️ " : "";
  return `*API key*: ${mark}expires on ${day}, in ${counted(left, "day")}.`;
}

function organizationBlocks(
  o: OrganizationHome,
  now: number,
  limit: number,
  room: number,
): KnownBlock[] {
  return [
    ...(o.name === undefined
      ? []
      : [
          {
            type: "header" as const,
            text: {
              type: "plain_text" as const, // Half the limit in characters: an emoji is two of the UTF-16 units Slack may count.
              text: truncate(`🏢 ${o.name}`, LIMITS.header / 2),
            },
          },
        ]),
    ...alertBlocks(o, limit, room),
    { type: "divider" },
    section(figures(o, now)),
    section(
      `*Top people, last 24 hours*\n${textBars(rankedLabels(o.topPeople, BAR_NAME), "no MCP calls")}`,
    ),
    section(`*Top tools, last 24 hours*\n${textBars(o.topTools, "no MCP calls")}`),
    section(`${health(o)}\n${apiKey(o, now)}`),
    { type: "divider" },
  ];
}

/**
 * A responder's App Home: the alerts counted in a roll-up handled lately, with their Undo; each
 * organization's open alerts by severity with the channel's buttons, the last 24 hours against
 * the 24 before, the top people and tools as text bars, its health and its API key's expiry.
 * Pure; every outside string escaped; within 100 blocks.
 */
export function responderHome(home: ResponderHome): HomeView {
  const reserved = handledRoom(home.handled);
  const { full, limit, room } = homeLayout(home.organizations, reserved);
  const ordered = byNeed(home.organizations);
  // Those shown in full each kept in its place; the rest as the layout counted them.
  const shown = new Set(ordered.slice(0, full));
  const rest = ordered.slice(full);
  const organizations = [
    ...home.organizations
      .filter((o) => shown.has(o))
      .flatMap((o) => organizationBlocks(o, home.now, limit, room)),
    ...compactBlocks(rest, Math.min(compactRoom(rest), VIEW_BLOCKS - 4 - reserved)),
  ];
  const names = new Map(home.organizations.map((o) => [o.orgId, o.name]));
  // What is left once the organizations are shown, the notice and its Undo counted.
  const handled = handledBlocks(home.handled, VIEW_BLOCKS - 4 - organizations.length, names);
  // The notice's Undo, when the list shows it already.
  const undoId = home.undo && handledBlockId(home.undo.id);
  const listed = handled.some((b) => b.block_id === undoId);
  const blocks: KnownBlock[] = [
    { type: "header", text: { type: "plain_text", text: "MCP activity" } },
    context(`For responders · updated ${slackDate(home.now)}`),
    // The app's own words (a refusal, what was done), already escaped where they quote.
    ...(home.notice ? [section(cutMrkdwn(home.notice, 2000))] : []),
    // The Undo of an alert no message shows (a roll-up, a summary, a refused post): the channel's button.
    ...(home.undo && !listed
      ? [
          {
            type: "actions" as const,
            block_id: `home_undo_${home.undo.id}`,
            elements: [
              button(ACTIONS.reopen, "Undo (reopen)", rowRef(home.undo.id, home.undo.createdAt)),
            ],
          },
        ]
      : []),
    ...handled,
    ...organizations,
  ];
  const open = home.organizations.reduce((sum, o) => sum + openCount(o), 0);
  return { text: `MCP activity: ${counted(open, "open alert")}`, blocks };
}

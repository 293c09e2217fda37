import type * as types from "@slack/types";
import { counted } from "../../words.js";

type KnownBlock = types.KnownBlock;

import { type Alert, type AlertStatus, neverQuieted } from "../../domain/alert.js";
import type { StoredEvent } from "../../domain/event.js";
import { quietKey } from "../../domain/person-key.js";
import { offersLearning } from "../../triage/decide.js";
import type { Learned } from "../../triage/decision.js";
import { unquietable } from "../../triage/unquietable.js";
import { mrkdwn, slackDate, truncate } from "../escape.js";
import { ACTIONS, SNOOZE_HOURS } from "./alert-actions.js";
import { alertNotice } from "./alert-notice.js";
import { button } from "./button.js";
import { learningBlocks } from "./learning.js";
import { LIMITS } from "./limits.js";
import { raisedAgainField } from "./raised-again.js";
import { rowRef } from "./row-ref.js";

export const ALERT_EVENT_TYPE = "mcp_alert";

export const SEVERITY_MARK: Record<string, string> = {
  high: "🔴",
  medium: "🟠",
  low: "🟡",
  info: "⚪",
};

const STATUS_WORD: Record<AlertStatus, string> = {
  open: "Reopened",
  acknowledged: "Acknowledged",
  expected: "Marked expected",
  true_positive: "Marked true positive",
};

/** Everything one alert message shows. */
export interface AlertView {
  readonly alert: Alert;
  /** The event its title names (its first, or the one that retitled it), for where and how. */
  readonly event: StoredEvent | undefined;
  /** The rule's one-line reason, for responders. */
  readonly explanation: string;
  /** Who last changed the status, when it is not open. */
  readonly handled?: { readonly status: AlertStatus; readonly by: string; readonly at: number };
  /** The organization's name, when several are watched. */
  readonly organization?: string;
  /** What responders have taught about the alert's rule and person. */
  readonly learned?: Learned;
}

export interface SlackMessage {
  readonly text: string;
  readonly blocks: KnownBlock[];
  readonly metadata?: {
    event_type: string;
    event_payload: Record<string, string | number | boolean>;
  };
}

/** Per field and for the title: well under Slack's own limits, so a whole message stays under ~12k. */
const FIELD_BUDGET = 800;
const TITLE_BUDGET = 1500;
const WHY_BUDGET = 600;

/** A field: its label, then its value, each line escaped on its own (escaping joins lines). */
function field(label: string, value: string | readonly string[]): { type: "mrkdwn"; text: string } {
  const lines = typeof value === "string" ? [value] : value;
  const room = Math.min(LIMITS.field, FIELD_BUDGET) - label.length - 4;
  const each = Math.floor(room / lines.length) - 1;
  return { type: "mrkdwn", text: `*${label}*\n${lines.map((l) => mrkdwn(l, each)).join("\n")}` };
}

/** Who, in words, a line each: the person, the API token caveat, the on-behalf-of user. */
function who(alert: Alert, event: StoredEvent | undefined): string[] {
  const name = alert.userName ?? event?.actorName ?? alert.userId ?? "unknown";
  const email = alert.userEmail && alert.userEmail !== name ? ` (${alert.userEmail})` : "";
  const parts = [`${name}${email}`];
  if (alert.authKind === "api-token") parts.push("API token — end user unknown");
  if (event?.onBehalfOfId && event.actorName && event.actorName !== name)
    parts.push(`via ${event.actorName}`);
  return parts;
}

export function what(alert: Alert, event: StoredEvent | undefined): string | undefined {
  if (!event) return undefined;
  const tool = event.tool
    ? `${event.tool}${event.innerTool ? ` → ${event.innerTool}` : ""}${event.toolClass ? ` (${event.toolClass}${event.toolGuessed ? ", guessed from the message" : ""})` : ""}`
    : event.action;
  return [tool, event.product, event.resource].filter(Boolean).join(" · ") || alert.title;
}

export function where(event: StoredEvent | undefined): string | undefined {
  if (!event) return undefined;
  const place = [event.city, event.country].filter(Boolean).join(", ");
  const parts = [event.siteHost, event.ip, place].filter(Boolean);
  return parts.length > 0 ? parts.join(" · ") : undefined;
}

/**
 * Whether an alert offers to mute or snooze later alerts: not a canary read, a posture
 * contradiction or a "not me" (neverQuieted), nor one about the organization, nor one naming
 * neither account nor e-mail (unquietable).
 */
const quietable = (alert: Alert): boolean => unquietable(alert) === undefined;

/**
 * Beside the buttons of an alert about the organization, or one no mute can key (quietKey): why
 * it offers no mute or snooze.
 */
function notQuietable(alert: Alert): KnownBlock[] {
  if (neverQuieted(alert.ruleId)) return [];
  const text = alert.aboutOrganization
    ? "No mute or snooze: this alert is about the organization (a tool or an AI tool new to it), not this person: a suppression in the rules file quiets it."
    : quietKey(alert) === undefined
      ? "No mute or snooze: this alert's events name no account or e-mail, so nothing tells this person's later alerts from anyone else's."
      : undefined;
  return text === undefined ? [] : [{ type: "context", elements: [{ type: "mrkdwn", text }] }];
}

/** The buttons of an open alert: in its message, and beside it in App Home. */
export function buttons(alert: Alert): KnownBlock {
  const value = rowRef(alert.id, alert.createdAt);
  const quiet = quietable(alert);
  return {
    type: "actions",
    block_id: `alert_actions_${alert.id}`,
    elements: [
      button(ACTIONS.acknowledge, "Acknowledge", value, "primary"),
      button(ACTIONS.expected, "Expected", value),
      ...(quiet ? [button(ACTIONS.expectedMute, "Expected, mute 7 days", value)] : []),
      button(ACTIONS.truePositive, "True positive", value, "danger"),
      button(ACTIONS.settings, "Settings to change", value),
      ...(quiet
        ? [
            {
              type: "overflow" as const,
              action_id: ACTIONS.snooze,
              options: SNOOZE_HOURS.map((hours) => ({
                text: { type: "plain_text" as const, text: `Snooze ${counted(hours, "hour")}` },
                value: `${value}:${hours}`,
              })),
            },
          ]
        : []),
    ],
  };
}

/** Who handled the alert and when, with Undo. */
export function handledBlocks(
  alert: Alert,
  handled: NonNullable<AlertView["handled"]>,
): KnownBlock[] {
  return [
    {
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text: `✅ ${STATUS_WORD[handled.status]} by <@${handled.by}> at ${slackDate(handled.at)}`,
        },
      ],
    },
    {
      type: "actions",
      block_id: `alert_actions_${alert.id}`,
      elements: [
        button(ACTIONS.reopen, "Undo (reopen)", rowRef(alert.id, alert.createdAt)),
        button(ACTIONS.settings, "Settings to change", rowRef(alert.id, alert.createdAt)),
      ],
    },
  ];
}

/** "🔴 HIGH · mcp-destructive · alert 57": the number every other message names the alert by. */
export function alertHeading(alert: Alert): string {
  return `${SEVERITY_MARK[alert.severity] ?? ""} ${alert.severity.toUpperCase()} · ${alert.ruleId} · alert ${alert.id}`;
}

/**
 * What an alert's count counts: events (one alert a day of destructive calls), or, for one whose
 * title counts calls (55 in 10 minutes), findings: each a call past the threshold, not every call.
 */
export function countedAs(alert: Pick<Alert, "detail">): "events" | "findings" {
  return "figure" in alert.detail ? "findings" : "events";
}

/** The channel message of an alert: pure, escaped, within Block Kit's limits. */
export function alertMessage({
  alert,
  event,
  explanation,
  handled,
  organization,
  learned,
}: AlertView): SlackMessage {
  const counts = countedAs(alert);
  const count = alert.eventCount > 1 ? ` · ${alert.eventCount} ${counts}` : "";
  const heading = `${alertHeading(alert)}${count}`;
  const history = Number(alert.detail.seenInHistory) || 0;
  const when = `${slackDate(alert.firstSeen)}${windowBefore(alert)}${alert.late ? " · arrived late" : ""}`;
  const fields = [field("Who", who(alert, event))];
  const raised = raisedAgainField(alert);
  if (raised) fields.push(raised);
  const whatText = what(alert, event);
  if (whatText) fields.push(field("What", whatText));
  const whereText = where(event);
  if (whereText) fields.push(field("Where", whereText));
  fields.push({ type: "mrkdwn", text: `*When*\n${when}` });
  if (event?.clientApp) fields.push(field("AI tool", event.clientApp));
  if (alert.eventCount > 1) {
    fields.push({
      type: "mrkdwn",
      // With their day: a group spans up to a day, often across midnight ("10:00 and 09:00").
      text: `*${counts === "events" ? "Events" : "Findings"}*\n${alert.eventCount} between ${slackDate(alert.firstSeen)} and ${slackDate(alert.lastSeen)}`,
    });
    if (alert.tools.length > 0) fields.push(field("Tools", alert.tools.join(", ")));
  }
  const blocks: KnownBlock[] = [
    {
      type: "header",
      text: { type: "plain_text", text: truncate(heading, LIMITS.header), emoji: true },
    },
    ...organizationLine(organization),
    {
      type: "section",
      text: { type: "mrkdwn", text: `*${mrkdwn(alert.title, TITLE_BUDGET)}*` },
    },
    { type: "section", fields: fields.slice(0, LIMITS.fields) },
    {
      type: "context",
      elements: [
        { type: "mrkdwn", text: mrkdwn(`Why: ${explanation}`, WHY_BUDGET) },
        ...(history > 0
          ? [
              {
                type: "mrkdwn" as const,
                text: `Also seen ${counted(history, "time")} in the history fetched on first start.`,
              },
            ]
          : []),
      ],
    },
    ...(handled && handled.status !== "open"
      ? handledBlocks(alert, handled)
      : [buttons(alert), ...notQuietable(alert)]),
    ...(learned && offersLearning(learned) ? learningBlocks(alert, learned) : []),
  ];
  return {
    text: alertNotice(alert, event, organization),
    blocks,
    metadata: {
      event_type: ALERT_EVENT_TYPE,
      event_payload: { alert_id: alert.id, org_id: alert.orgId, revision: alert.revision },
    },
  };
}

/** Of a finding counting calls in a window: its first call's time is not when they began. */
function windowBefore(alert: Alert): string {
  const minutes = Number(alert.detail.windowMinutes);
  if (!("figure" in alert.detail) || !(minutes > 0)) return "";
  return ` · the calls counted began up to ${counted(minutes, "minute")} before`;
}

/** A context line naming the organization, when several are watched. */
function organizationLine(organization: string | undefined): KnownBlock[] {
  if (organization === undefined) return [];
  const text = `🏢 Organization: *${mrkdwn(organization, 200)}*`;
  return [{ type: "context", elements: [{ type: "mrkdwn", text }] }];
}

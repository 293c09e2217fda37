import type * as types from "@slack/types";
import type { Alert } from "../../domain/alert.js";
import type { StoredEvent } from "../../domain/event.js";
import type { Answer } from "../../domain/follow-up.js";
import { mrkdwn, slackDate } from "../escape.js";
import { type SlackMessage, what, where } from "./alert.js";
import { button } from "./button.js";
import { rowRef } from "./row-ref.js";

type KnownBlock = types.KnownBlock;

export const ASK_ACTIONS = { yes: "ask_yes", no: "ask_no" } as const;

const ANSWERED: Record<Answer, string> = {
  yes: "You answered *yes, that was me*. Thank you.",
  no: "You answered *no, that wasn't me*. The security team has been told and will be in touch.",
};
/** A responder's "yes" about themselves handles nothing: the alert stays with the others. */
const ANSWERED_AS_RESPONDER =
  "You answered *yes, that was me*. Thank you. As you are a responder, that does not handle the alert: another responder must handle alerts about you.";

/** The alert's title, first: what is asked about is all it counts (55 calls), not its first call. */
const titled = (alert: Alert): string => `*${mrkdwn(alert.title, 300)}*.`;

function facts(alert: Alert, event: StoredEvent | undefined): KnownBlock {
  const field = (label: string, value: string) => ({
    type: "mrkdwn" as const,
    text: `*${label}*\n${mrkdwn(value, 700)}`,
  });
  const fields = [field("What", what(alert, event) ?? alert.title)];
  const place = where(event);
  if (place) fields.push(field("Where", place));
  fields.push({ type: "mrkdwn", text: `*When*\n${slackDate(alert.firstSeen)}` });
  if (event?.clientApp) fields.push(field("AI tool", event.clientApp));
  return { type: "section", fields };
}

/**
 * The direct message asking the person behind an alert whether it was them: what happened with
 * their Atlassian account, and two buttons only they can answer.
 */
export function askMessage(
  alert: Alert,
  event: StoredEvent | undefined,
  organization?: string,
): SlackMessage {
  const id = rowRef(alert.id, alert.createdAt);
  const where = organization ? ` in the Atlassian organization *${mrkdwn(organization, 200)}*` : "";
  const whose = organization ? ` · ${mrkdwn(organization, 200)}` : "";
  return {
    text: `Did you do this? ${mrkdwn(alert.title, 300)} — an AI tool used your Atlassian account: ${mrkdwn(what(alert, event) ?? alert.title, 300)}${whose}`,
    blocks: [
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text: `*Did you do this?* ${titled(alert)} An AI tool did this in Atlassian${where} with your account, through the Rovo MCP server:`,
        },
      },
      facts(alert, event),
      {
        type: "actions",
        block_id: `ask_${alert.id}`,
        elements: [
          button(ASK_ACTIONS.yes, "Yes, that was me", id, "primary"),
          button(ASK_ACTIONS.no, "No, that wasn't me", id, "danger"),
        ],
      },
      {
        type: "context",
        elements: [
          {
            type: "mrkdwn",
            text: `Your answer goes to the security team (alert ${alert.id}, ${mrkdwn(alert.ruleId, 60)}).`,
          },
        ],
      },
    ],
  };
}

/**
 * The same message once answered: the facts and the answer, no buttons. `asResponder`: the one
 * answering is a responder.
 */
export function answeredMessage(
  alert: Alert,
  event: StoredEvent | undefined,
  answer: Answer,
  at: number,
  organization?: string,
  asResponder = false,
): SlackMessage {
  const where = organization ? ` in the Atlassian organization *${mrkdwn(organization, 200)}*` : "";
  const said = asResponder && answer === "yes" ? ANSWERED_AS_RESPONDER : ANSWERED[answer];
  return {
    text: said,
    blocks: [
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text: `*Did you do this?* ${titled(alert)} An AI tool did this${where} with your account:`,
        },
      },
      facts(alert, event),
      {
        type: "context",
        elements: [{ type: "mrkdwn", text: `${said} (${slackDate(at)})` }],
      },
    ],
  };
}

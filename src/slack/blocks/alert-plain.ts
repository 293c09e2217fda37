import type { KnownBlock } from "@slack/types";
import type { Alert } from "../../domain/alert.js";
import { mrkdwn, truncate } from "../escape.js";
import {
  ALERT_EVENT_TYPE,
  type AlertView,
  alertHeading,
  buttons,
  handledBlocks,
  type SlackMessage,
} from "./alert.js";
import { alertNotice } from "./alert-notice.js";
import { LIMITS } from "./limits.js";

/**
 * An alert whose full message could not be drawn (a value in its events no date can hold, a
 * bug): posted all the same, with its title, its rule and its buttons, never held back.
 */
export function plainAlertMessage(alert: Alert, handled?: AlertView["handled"]): SlackMessage {
  const blocks: KnownBlock[] = [
    {
      type: "header",
      text: { type: "plain_text", text: truncate(alertHeading(alert), LIMITS.header) },
    },
    { type: "section", text: { type: "mrkdwn", text: `*${mrkdwn(alert.title, 1500)}*` } },
    {
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text: `Alert ${alert.id}: its details could not be shown, the bot's log says why.`,
        },
      ],
    },
    ...(handled && handled.status !== "open" ? handledBlocks(alert, handled) : [buttons(alert)]),
  ];
  return {
    text: alertNotice(alert),
    blocks,
    metadata: {
      event_type: ALERT_EVENT_TYPE,
      event_payload: { alert_id: alert.id, org_id: alert.orgId, revision: alert.revision },
    },
  };
}

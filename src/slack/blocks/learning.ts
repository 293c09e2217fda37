import type * as types from "@slack/types";
import { type Alert, NO_LONGER_QUIETS, neverQuieted } from "../../domain/alert.js";
import { LEARN_DAYS } from "../../triage/decide.js";
import type { Learned } from "../../triage/decision.js";
import { counted } from "../../words.js";
import { slackDate } from "../escape.js";
import { ACTIONS } from "./alert-actions.js";
import { button, type Confirm } from "./button.js";
import { onlySubject } from "./listed.js";
import { rowRef } from "./row-ref.js";

type KnownBlock = types.KnownBlock;

const SUPPRESS_CONFIRM: Confirm = {
  title: { type: "plain_text", text: "Suppress for good?" },
  text: {
    type: "plain_text",
    text: "Later alerts of this rule about this person (and what this alert is about, where it names an account acted on, a country, an AI tool…) are stored and counted, never posted, until a responder removes the suppression (here or with /mcp-activity settings).",
  },
  confirm: { type: "plain_text", text: "Suppress" },
  deny: { type: "plain_text", text: "Cancel" },
};

/**
 * After responders marked this rule and person expected LEARN_AFTER times: mute them 30 days or
 * suppress them, and the undo of either.
 */
export function learningBlocks(alert: Alert, learned: Learned): KnownBlock[] {
  const value = rowRef(alert.id, alert.createdAt);
  const taught = `Marked expected ${counted(learned.expected, "time")} in ${LEARN_DAYS} days for this rule and person.`;
  const { suppression, mute } = learned;
  const stale = neverQuieted(alert.ruleId);
  // One about the organization none covers (see Finding.aboutOrganization), nor is it offered.
  const butThis = alert.aboutOrganization ? " (none about the organization, as this one)" : "";
  const state = suppression
    ? `🔕 Suppressed${onlySubject(suppression)} by <@${suppression.by}> on ${slackDate(suppression.at)}: ${stale ? `it ${NO_LONGER_QUIETS}.` : `later alerts are stored and counted, never posted${butThis}.`}`
    : mute
      ? `🔕 Muted${onlySubject(mute)} until ${slackDate(mute.until)}: ${stale ? `the mute ${NO_LONGER_QUIETS}.` : `later alerts are stored and counted, not posted${butThis}.`}`
      : `🧠 ${taught} Keep them out of the channel?`;
  // A true positive offers only the undo: a confirmed compromise is no pattern to quiet.
  const quiets = alert.status !== "true_positive" && !stale && !alert.aboutOrganization;
  const elements = suppression
    ? [button(ACTIONS.unsuppress, "Undo suppression", value)]
    : [
        mute ? button(ACTIONS.unmute, "Undo mute", value) : undefined,
        !mute && quiets ? button(ACTIONS.mute30, "Mute 30 days", value) : undefined,
        quiets
          ? button(ACTIONS.suppress, "Suppress (add to rules)", value, "danger", SUPPRESS_CONFIRM)
          : undefined,
      ].filter((b) => b !== undefined);
  if (elements.length === 0) return [];
  return [
    { type: "context", elements: [{ type: "mrkdwn", text: state }] },
    { type: "actions", block_id: `alert_learning_${alert.id}`, elements },
  ];
}

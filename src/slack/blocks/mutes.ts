import type * as types from "@slack/types";
import { NO_LONGER_QUIETS, neverQuieted } from "../../domain/alert.js";
import { type ListedMute, muteReason } from "../../domain/mute.js";
import { mrkdwn, slackDate } from "../escape.js";
import { ACTIONS } from "./alert-actions.js";
import { button } from "./button.js";
import { inOrg, listBlocks, onlySubject, SHOWN } from "./listed.js";
import { rowRef } from "./row-ref.js";

/**
 * The patterns muted now (Expected, mute 7 days; Snooze; Mute 30 days), for `/mcp-activity
 * settings`: until when, why, and an End button that ends them as the newest alert's Undo mute
 * does (written to that alert's trail).
 */
export function muteBlocks(
  list: readonly ListedMute[],
  organization: (orgId: string) => string | undefined = () => undefined,
): types.KnownBlock[] {
  if (list.length === 0) return [];
  const rows: types.KnownBlock[] = list.slice(0, SHOWN).map((m) => ({
    type: "section",
    text: {
      type: "mrkdwn",
      text: `*${mrkdwn(m.ruleId, 60)}* about ${mrkdwn(m.person, 200)}${onlySubject(m)}${inOrg(organization(m.orgId))}\nMuted until ${slackDate(m.until)}${m.mutes > 1 ? ` (${m.mutes} mutes)` : ""} by <@${m.createdBy}>: ${mrkdwn(muteReason(m.reason), 300)}${neverQuieted(m.ruleId) ? `\n_It ${NO_LONGER_QUIETS}._` : ""}`,
    },
    ...(m.alertId === null || m.alertCreatedAt === null
      ? {}
      : { accessory: button(ACTIONS.endMute, "End", rowRef(m.alertId, m.alertCreatedAt)) }),
  }));
  return listBlocks(
    `*Muted now* (${list.length}) — alerts they cover are stored and counted, not posted, until the mute ends:`,
    rows,
    list.length,
    (n) => `And ${n} more, ending later.`,
  );
}

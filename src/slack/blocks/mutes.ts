import type * as types from "@slack/types";
import { NO_LONGER_QUIETS, neverQuieted } from "../../domain/alert.js";
import { type ListedMute, muteReason } from "../../domain/mute.js";
import { mrkdwn, slackDate } from "../escape.js";
import { ACTIONS } from "./alert-actions.js";
import { button } from "./button.js";
import { inOrg, listBlocks, onlySubject, SHOWN } from "./listed.js";
import { listedRef, rowRef } from "./row-ref.js";

/**
 * The patterns muted now (Expected, mute 7 days; Snooze; Mute 30 days), for `/mcp-activity
 * settings`: until when, why, and an End button that ends that row's mutes alone (written to the
 * trail of the newest alert of the pattern).
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
      : {
          accessory: button(
            ACTIONS.endMute,
            "End",
            listedRef(rowRef(m.alertId, m.alertCreatedAt), m.id),
          ),
        }),
  }));
  return listBlocks(
    `*Muted now* (${list.length}) — alerts they cover are stored and counted, not posted, until the mute ends:`,
    rows,
    list.length,
    (n) => `And ${n} more, ending later.`,
  );
}

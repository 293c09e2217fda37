import type * as types from "@slack/types";
import { NO_LONGER_QUIETS, neverQuieted } from "../../domain/alert.js";
import type { ListedSuppression } from "../../domain/suppression.js";
import { mrkdwn, slackDate } from "../escape.js";
import { ACTIONS } from "./alert-actions.js";
import { button } from "./button.js";
import { inOrg, listBlocks, onlySubject, SHOWN } from "./listed.js";
import { listedRef, rowRef } from "./row-ref.js";

/**
 * The suppressions responders added from alerts, for `/mcp-activity settings`: who added each,
 * when and why, with a button that removes it alone (the alert's own undo removes every one of
 * its rule and person covering the alert's subject).
 */
export function suppressionBlocks(
  list: readonly ListedSuppression[],
  organization: (orgId: string) => string | undefined = () => undefined,
): types.KnownBlock[] {
  if (list.length === 0) return [];
  const rows: types.KnownBlock[] = list.slice(0, SHOWN).map((s) => ({
    type: "section",
    text: {
      type: "mrkdwn",
      text: `*${mrkdwn(s.ruleId, 60)}* about ${mrkdwn(s.person, 200)}${onlySubject(s)}${inOrg(organization(s.orgId))}\nAdded by <@${s.createdBy}> on ${slackDate(s.createdAt)} from alert ${s.alertId ?? "—"}: ${mrkdwn(s.reason, 300)}${neverQuieted(s.ruleId) ? `\n_It ${NO_LONGER_QUIETS}._` : ""}`,
    },
    ...(s.alertId === null || s.alertCreatedAt === null
      ? {}
      : {
          accessory: button(
            ACTIONS.removeSuppression,
            "Remove",
            listedRef(rowRef(s.alertId, s.alertCreatedAt), s.id),
          ),
        }),
  }));
  return listBlocks(
    `*Suppressions added by responders* (${list.length}) — alerts they cover are stored and counted, never posted; \`rules check\` lists them too:`,
    rows,
    list.length,
    (n) => `And ${n} more: \`rules check\` lists all.`,
  );
}

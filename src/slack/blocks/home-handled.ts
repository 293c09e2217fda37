import type * as types from "@slack/types";
import type { HandledLately } from "../../domain/home.js";
import { DONE } from "../../triage/decide.js";
import { mrkdwn, slackDate } from "../escape.js";
import { SEVERITY_MARK } from "./alert.js";
import { ACTIONS } from "./alert-actions.js";
import { button } from "./button.js";
import { context, section } from "./home-view.js";
import { rowRef } from "./row-ref.js";

type KnownBlock = types.KnownBlock;

/** How long an alert with no message of its own keeps its Undo in the Home once handled. */
export const HANDLED_UNDO_MS = 24 * 60 * 60_000;
/** Handled alerts listed at most; a line says how many more. */
export const HANDLED_SHOWN = 5;

/** The blocks the list takes at most: its heading, the alerts, the line saying how many more. */
export function handledRoom(handled: HandledLately | undefined): number {
  if (!handled || handled.total === 0) return 0;
  const shown = Math.min(handled.alerts.length, HANDLED_SHOWN);
  return 1 + shown + (handled.total > shown ? 1 : 0);
}

/** The block of a listed alert: the notice's own Undo is left out when the list shows it. */
export const handledBlockId = (alertId: number): string => `home_handled_${alertId}`;

/** A Slack user as a mention; anything else (the system, a command line) as its words. */
const who = (by: string) => (/^[UW][A-Z0-9]+$/.test(by) ? `<@${by}>` : mrkdwn(by, 60));

/**
 * The alerts with no message of their own (counted in a roll-up or a summary, or whose post Slack
 * refused for good) that were handled lately, each with the Undo (reopen) their message would carry, in `room` blocks at most; the latest first. `names`: organizations' names,
 * when several are watched. Pure; every outside string escaped.
 */
export function handledBlocks(
  handled: HandledLately | undefined,
  room: number,
  names: ReadonlyMap<string, string | undefined>,
): KnownBlock[] {
  if (!handled || handled.total === 0) return [];
  let shown = Math.min(handled.alerts.length, HANDLED_SHOWN, room - 1);
  if (shown < handled.total) shown = Math.min(shown, room - 2);
  if (shown <= 0) return [];
  const rows = handled.alerts.slice(0, shown).map(({ alert, by, at }): KnownBlock => {
    const name = names.get(alert.orgId);
    const where = name === undefined ? "" : ` · ${mrkdwn(name, 100)}`;
    return {
      type: "section",
      block_id: handledBlockId(alert.id),
      text: {
        type: "mrkdwn",
        text: `${SEVERITY_MARK[alert.severity] ?? ""} *${mrkdwn(alert.title, 500)}*\nalert ${alert.id}${where} · ${DONE[alert.status]} by ${who(by)} at ${slackDate(at)}`,
      },
      accessory: button(ACTIONS.reopen, "Undo (reopen)", rowRef(alert.id, alert.createdAt)),
    };
  });
  const more = handled.total - shown;
  return [
    section(
      "*Handled in the last 24 hours, with no message of their own*\nCounted in a roll-up or a summary, or refused by Slack: their Undo is here.",
    ),
    ...rows,
    ...(more > 0 ? [context(`…and ${more} more handled in the last 24 hours.`)] : []),
  ];
}

import type { App, BlockAction, ButtonAction, OverflowAction } from "@slack/bolt";
import type { Clock } from "../clock.js";
import { personKey } from "../detect/engine.js";
import { adminHubUrl, controlsForRule } from "../guidance/controls.js";
import type { Logger } from "../logger.js";
import { WatchedOrgs } from "../organizations.js";
import { type AlertStatus, AlertStore } from "../store/alerts.js";
import { DeliveryStore } from "../store/deliveries.js";
import { MuteStore } from "../store/mutes.js";
import type { Db } from "../store/open.js";
import { TrailStore } from "../store/trail.js";
import { ACTIONS, type SlackMessage, SNOOZE_HOURS } from "./blocks/alert.js";
import { mrkdwn, slackDate } from "./escape.js";
import type { Responders } from "./responders.js";

const MUTE_MS = 7 * 86_400_000;

export interface ActionDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly orgId: string;
  /** Every organization watched: clicks on their alerts are taken, others refused. Default: `orgId`. */
  readonly orgs?: WatchedOrgs;
  readonly responders: Responders;
  readonly render: (alert: NonNullable<ReturnType<AlertStore["get"]>>) => SlackMessage;
}

/** Which status each button sets, and from which statuses it may. */
const TRANSITIONS: Record<string, { to: AlertStatus; from: (s: AlertStatus) => boolean }> = {
  [ACTIONS.acknowledge]: { to: "acknowledged", from: (s) => s === "open" },
  [ACTIONS.expected]: { to: "expected", from: (s) => s === "open" },
  [ACTIONS.expectedMute]: { to: "expected", from: (s) => s === "open" },
  [ACTIONS.truePositive]: { to: "true_positive", from: (s) => s === "open" },
  [ACTIONS.reopen]: { to: "open", from: (s) => s !== "open" },
};

const DONE: Record<AlertStatus, string> = {
  open: "reopened",
  acknowledged: "acknowledged",
  expected: "marked expected",
  true_positive: "marked true positive",
};

/** The alert buttons: verified by Bolt's signature check, then by who clicked, then idempotent. */
export function registerAlertActions(app: App, deps: ActionDeps): void {
  const alerts = new AlertStore(deps.db);
  const trail = new TrailStore(deps.db);
  const deliveries = new DeliveryStore(deps.db);
  const mutes = new MuteStore(deps.db);
  const log = deps.logger.child({ component: "actions" });
  const orgs = deps.orgs ?? new WatchedOrgs([deps.orgId]);

  /** The alert a click is about, when it is known here and the one who clicked is a responder. */
  async function clickedAlert(
    user: string,
    value: string | undefined,
    actionId: string,
    tell: (text: string) => Promise<unknown>,
  ) {
    const id = /^\d{1,12}$/.test(value ?? "") ? Number(value) : undefined;
    const alert = id === undefined ? undefined : alerts.get(id);
    if (!alert || !orgs.includes(alert.orgId)) {
      log.warn(
        { user, value: String(value ?? "").slice(0, 40) },
        "button click for an unknown alert",
      );
      await tell("That alert is not known here any more.");
      return undefined;
    }
    if (!(await deps.responders.includes(user))) {
      log.warn(
        { user, alertId: alert.id, action: actionId },
        "button click refused: not a responder",
      );
      await tell(`Only responders can change alerts. Ask ${deps.responders.describe()}.`);
      return undefined;
    }
    return alert;
  }

  app.action<BlockAction<OverflowAction>>(
    ACTIONS.snooze,
    async ({ ack, body, action, client, respond }) => {
      await ack();
      const user = body.user.id;
      const tell = (text: string) =>
        respond({ response_type: "ephemeral", replace_original: false, text });
      const [value, hoursText] = (action.selected_option?.value ?? "").split(":");
      const hours = SNOOZE_HOURS.find((h) => String(h) === hoursText);
      const alert = await clickedAlert(user, hours ? value : undefined, action.action_id, tell);
      if (!alert || !hours) return;
      const now = deps.clock.now();
      const until = now + hours * 3_600_000;
      const who = alert.userName ?? alert.userEmail ?? alert.userId ?? "this account";
      mutes.add(
        alert.orgId,
        {
          ruleId: alert.ruleId,
          userKey: personKey({ userId: alert.userId, actorId: null }),
          until,
          reason: `snoozed for ${hours} h by <@${user}>`,
        },
        user,
        now,
      );
      trail.note(alert.orgId, alert.id, user, now, `snoozed ${alert.ruleId} for ${hours} h`);
      log.info(
        { user, alertId: alert.id, hours },
        `alert ${alert.id}: pattern snoozed for ${hours} h`,
      );
      const text = `💤 <@${user}> snoozed ${mrkdwn(alert.ruleId, 60)} alerts about ${mrkdwn(who, 200)} until ${slackDate(until)}: they are still stored and counted, not posted.`;
      const delivery = deliveries.get(alert.orgId, alert.id);
      const channel = body.channel?.id ?? delivery?.channel;
      const ts = delivery?.ts ?? body.message?.ts;
      if (channel && ts)
        await client.chat.postMessage({
          channel,
          thread_ts: ts,
          text,
          blocks: [{ type: "section", text: { type: "mrkdwn", text } }],
        });
      else await tell(text);
    },
  );

  app.action<BlockAction<ButtonAction>>(
    /^alert_(?!snooze$)/,
    async ({ ack, body, action, client, respond }) => {
      await ack();
      const user = body.user.id;
      const tell = (text: string) =>
        respond({ response_type: "ephemeral", replace_original: false, text });
      const alert = await clickedAlert(user, action.value, action.action_id, tell);
      if (!alert) return;
      if (action.action_id === ACTIONS.settings) {
        await tell(settingsText(alert.ruleId, alert.orgId));
        return;
      }
      const transition = TRANSITIONS[action.action_id];
      if (!transition) return;
      const now = deps.clock.now();
      const result = trail.change(alert.orgId, alert.id, transition.to, user, now, transition.from);
      if (!result.changed) {
        const by = result.last ? ` by <@${result.last.actor}> at ${slackDate(result.last.at)}` : "";
        await tell(`Nothing changed: this alert is already ${DONE[result.status ?? "open"]}${by}.`);
        // The message may still show the buttons (a stop between recording and updating it).
        await showCurrent();
        return;
      }
      log.info(
        { user, alertId: alert.id, from: result.entry.from, to: result.entry.to },
        `alert ${alert.id} ${DONE[transition.to]}`,
      );
      if (action.action_id === ACTIONS.expectedMute) {
        mutes.add(
          alert.orgId,
          {
            ruleId: alert.ruleId,
            userKey: personKey({ userId: alert.userId, actorId: null }),
            until: now + MUTE_MS,
            reason: `marked expected by <@${user}>, muted for 7 days`,
          },
          user,
          now,
        );
      }
      await showCurrent();

      /** Updates the alert's message to what the database says now. */
      async function showCurrent(): Promise<void> {
        const current = alerts.get(alert?.id ?? 0);
        const delivery = current && deliveries.get(current.orgId, current.id);
        const channel = body.channel?.id ?? delivery?.channel;
        const ts = body.message?.ts ?? delivery?.ts ?? undefined;
        if (current && channel && ts)
          await client.chat.update({ channel, ts, ...deps.render(current) });
      }
    },
  );
}

/** The controls that answer this kind of alert, for the one who asked. */
export function settingsText(ruleId: string, orgId: string): string {
  const lines = controlsForRule(ruleId).map(
    (c) =>
      `• *${mrkdwn(c.name, 200)}*${c.plan ? ` (${c.plan})` : ""}\n   _${mrkdwn(c.path, 300)}_\n   ${mrkdwn(c.does, 400)} ${mrkdwn(c.doesNot, 400)}`,
  );
  return `*Settings to change for ${ruleId}* — in <${adminHubUrl(orgId)}|Atlassian Administration>:\n${lines.join("\n")}\nThe full guidance: \`/mcp-activity settings\`.`;
}

import type { App, BlockAction, ButtonAction, OverflowAction } from "@slack/bolt";
import type { Clock } from "../clock.js";
import { personKey } from "../detect/engine.js";
import { adminHubUrl, controlsForRule } from "../guidance/controls.js";
import type { Logger } from "../logger.js";
import { WatchedOrgs } from "../organizations.js";
import type { AlertStatus, AlertStore } from "../store/alerts.js";
import type { DeliveryStore } from "../store/deliveries.js";
import type { MuteStore } from "../store/mutes.js";
import type { OutboxStore } from "../store/outbox.js";
import type { TrailStore } from "../store/trail.js";
import { queueAlertReply, queueAlertUpdate } from "./alert-thread.js";
import { ACTIONS, type SlackMessage, SNOOZE_HOURS } from "./blocks/alert.js";
import { mrkdwn, slackDate } from "./escape.js";
import type { Responders } from "./responders.js";

const MUTE_MS = 7 * 86_400_000;

/** The stores the buttons read and write. */
export interface ActionStores {
  readonly alerts: AlertStore;
  readonly trail: TrailStore;
  readonly deliveries: DeliveryStore;
  readonly mutes: MuteStore;
  readonly outbox: OutboxStore;
}

export interface ActionDeps {
  readonly stores: ActionStores;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly orgId: string;
  /** Every organization watched: clicks on their alerts are taken, others refused. Default: `orgId`. */
  readonly orgs?: WatchedOrgs;
  readonly responders: Responders;
  readonly render: (alert: NonNullable<ReturnType<AlertStore["get"]>>) => SlackMessage;
  /** Told when messages were queued, to send them now. */
  readonly queued: () => void;
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
  const { alerts, trail, mutes, outbox } = deps.stores;
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
    async ({ ack, body, action, respond }) => {
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
      const text = `💤 <@${user}> snoozed ${mrkdwn(alert.ruleId, 60)} alerts about ${mrkdwn(who, 200)} until ${slackDate(until)}: they are still stored and counted, not posted.`;
      const inThread = outbox.atomically(() => {
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
        const key = `snooze:${alert.orgId}:${alert.id}:${user}:${now}`;
        return queueAlertReply(deps.stores, alert, { key, text }, now);
      });
      log.info(
        { user, alertId: alert.id, hours },
        `alert ${alert.id}: pattern snoozed for ${hours} h`,
      );
      deps.queued();
      if (!inThread) await tell(text);
    },
  );

  app.action<BlockAction<ButtonAction>>(
    /^alert_(?!snooze$)/,
    async ({ ack, body, action, respond }) => {
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
      /** Queues an update of the alert's message to what the database says now. */
      const showCurrent = () => {
        const current = alerts.get(alert.id);
        if (current) queueAlertUpdate(deps.stores, current, deps.render(current), now);
      };
      const result = outbox.atomically(() => {
        const change = trail.change(
          alert.orgId,
          alert.id,
          transition.to,
          user,
          now,
          transition.from,
        );
        if (change.changed && action.action_id === ACTIONS.expectedMute)
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
        // Unchanged too: the message may still show the buttons (a stop before its update).
        showCurrent();
        return change;
      });
      deps.queued();
      if (!result.changed) {
        const by = result.last ? ` by <@${result.last.actor}> at ${slackDate(result.last.at)}` : "";
        await tell(`Nothing changed: this alert is already ${DONE[result.status ?? "open"]}${by}.`);
        return;
      }
      log.info(
        { user, alertId: alert.id, from: result.entry.from, to: result.entry.to },
        `alert ${alert.id} ${DONE[transition.to]}`,
      );
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

import type { App, BlockAction, ButtonAction, OverflowAction } from "@slack/bolt";
import type { Clock } from "../../clock.js";
import type { Alert } from "../../domain/alert.js";
import type { Logger } from "../../logger.js";
import type { WatchedOrgs } from "../../organizations.js";
import { barredOnOneself, DONE } from "../../triage/decide.js";
import type { LearningAction, TriageAction } from "../../triage/decision.js";
import { ACTIONS, SNOOZE_HOURS } from "../blocks/alert-actions.js";
import { isNamed, type MessageAt, readListedRef, readRowRef } from "../blocks/row-ref.js";
import { settingsText } from "../blocks/settings.js";
import { clickedMessage } from "../clicked-message.js";
import { missingScopeWords, type SlackFailure, withAdvice } from "../failure.js";
import type { Watches } from "../outbox/watch.js";
import type { Responders } from "../responders.js";
import { alertMessage } from "./alert-thread.js";
import { type AboutDeps, isAbout } from "./is-about.js";
import { shownLater } from "./shown-later.js";
import { type ClickHome, teller } from "./teller.js";
import { type Applied, applyTriage, type TriageDeps } from "./triage.js";

export interface ActionDeps extends AboutDeps {
  readonly triage: TriageDeps;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Every organization watched: clicks on their alerts are taken, others refused. */
  readonly orgs: WatchedOrgs;
  readonly responders: Responders;
  /** Told when messages were queued, to send them now. */
  readonly queued: () => void;
  /** The poster's word on the update showing a click: the clicker hears when it waits or fails. */
  readonly delivery: Watches;
  /** The App Home, where the buttons are too: a click there is answered by showing it anew. */
  readonly home?: ClickHome;
}

const BUTTONS: Record<string, TriageAction> = {
  [ACTIONS.acknowledge]: { kind: "acknowledge" },
  [ACTIONS.expected]: { kind: "expected" },
  [ACTIONS.expectedMute]: { kind: "expected-mute" },
  [ACTIONS.truePositive]: { kind: "true-positive" },
  [ACTIONS.reopen]: { kind: "reopen" },
  [ACTIONS.mute30]: { kind: "mute-30" },
  [ACTIONS.suppress]: { kind: "suppress" },
  [ACTIONS.unmute]: { kind: "unmute" },
  [ACTIONS.unsuppress]: { kind: "unsuppress" },
  [ACTIONS.removeSuppression]: { kind: "unsuppress" },
  [ACTIONS.endMute]: { kind: "unmute" },
};

const UNKNOWN_ALERT = "That alert is not known here any more.";
/**
 * A bare id clicked in no message (an App Home or settings list shown before the upgrade): nothing
 * tells which alert it was drawn for. In a message other than its alert's, it is a message whose
 * alert the database no longer has (lost in a restore): that alert is the one not known.
 */
const EARLIER_BUTTON =
  "That button is from an earlier version of mcp-activity, so nothing was changed: use the one in the alert's message, or open the App Home again.";

/** Buttons of the settings' lists, away from the alert's message. */
const LISTED = new Set<string>([ACTIONS.removeSuppression, ACTIONS.endMute]);

/**
 * The alert buttons: verified by Bolt's signature check, then by who clicked (a responder, and
 * not about themselves), then decided and applied by the triage core, idempotent.
 */
export function registerAlertActions(app: App, deps: ActionDeps): void {
  const log = deps.logger.child({ component: "actions" });
  const { orgs } = deps;
  const { alerts } = deps.triage.stores;
  /** The scopes `isAbout` lacked, logged already: each is said once, not at every click. */
  const said = new Set<string>();

  /** Where an alert's own message was posted, if it was. */
  function postedAt(alert: Alert): MessageAt | undefined {
    const message = alertMessage(deps.triage.stores, alert);
    return message && "ts" in message ? message : undefined;
  }

  /**
   * The alert of a button's value, when it is one of a watched organization; else what the
   * clicker is told. `clicked`: the message the button was in (see clickedMessage).
   */
  function alertOf(
    value: string | undefined,
    user: string,
    clicked: MessageAt | undefined,
  ): Alert | string {
    const ref = readRowRef(value);
    const found = ref === undefined ? undefined : alerts.get(ref.id);
    const alert = found && orgs.includes(found.orgId) ? found : undefined;
    // Drawn for this alert, not for another given its id before a restore from a backup.
    if (
      alert &&
      ref &&
      isNamed(ref, { stamp: alert.createdAt, message: () => postedAt(alert) }, clicked)
    )
      return alert;
    const facts = { user, value: String(value ?? "").slice(0, 40) };
    if (alert && ref?.stamp === undefined && clicked === undefined) {
      log.warn(facts, "button click of an earlier release in no message (an App Home or a list)");
      return EARLIER_BUTTON;
    }
    log.warn(facts, "button click for an unknown alert");
    return UNKNOWN_ALERT;
  }

  /** Tells the clicker when the message cannot show their click at once (see shownLater). */
  function watchShown(alert: Alert, applied: Applied, tell: (text: string) => Promise<unknown>) {
    const { shownBy, decision } = applied;
    if (shownBy === undefined || decision.refused) return;
    const recorded = decision.status
      ? `Recorded: alert ${alert.id} ${DONE[decision.status.to]}`
      : `Recorded on alert ${alert.id}`;
    deps.delivery.watch(shownBy, (outcome) => {
      const text = shownLater(recorded, outcome, deps.clock.now());
      // A reply the response URL refuses is logged by tell; showing the App Home may fail.
      if (text)
        tell(text).catch((error: unknown) =>
          log.error(
            { err: error, alertId: alert.id },
            `alert ${alert.id}: the clicker was not told`,
          ),
        );
    });
  }

  /** What the clicker is told when Slack did not say whether the alert is about them. */
  function unchecked(failure: SlackFailure): string {
    const scope = missingScopeWords(failure);
    if (!scope) return "I could not check whether this alert is about you; try again in a minute.";
    const why = withAdvice(failure);
    if (!said.has(why))
      log.warn(
        { code: failure.code },
        `alert buttons: whether an alert is about the responder who clicked cannot be checked (${why}); the buttons barred on oneself are refused until then`,
      );
    said.add(why);
    return `I could not check whether this alert is about you, so nothing was changed: ${scope}.`;
  }

  async function act(
    user: string,
    alert: Alert,
    action: TriageAction,
    tell: (text: string, undo?: Alert) => Promise<unknown>,
    /** The click came from elsewhere than the alert's message: say what was done. */
    away = false,
  ): Promise<void> {
    const check = await deps.responders.check(user);
    // Looked up only where it matters: a responder's action barred on an alert about oneself.
    const self =
      check.ok && barredOnOneself(action.kind) ? await isAbout(deps, alert, user) : false;
    if (typeof self !== "boolean") {
      await tell(unchecked(self));
      return;
    }
    const notResponder = check.ok ? null : check.message;
    let applied: Applied | undefined;
    try {
      applied = applyTriage(
        deps.triage,
        alert.id,
        action,
        { id: user, notResponder, self },
        deps.clock.now(),
      );
    } catch (error) {
      log.error(
        { err: error, user, alertId: alert.id },
        `alert ${alert.id}: ${action.kind} failed`,
      );
      await tell(
        "Something went wrong, so nothing was changed; the operator can find the details in the log.",
      );
      return;
    }
    if (applied) watchShown(alert, applied, tell);
    deps.queued();
    if (!applied) return;
    const { decision } = applied;
    if (decision.refused) {
      log.warn(
        { user, alertId: alert.id, action: action.kind },
        `alert ${alert.id}: ${action.kind} refused: ${decision.refused.note ?? decision.refused.message}`,
      );
      await tell(decision.refused.message);
      return;
    }
    const to = decision.status ? ` ${DONE[decision.status.to]}` : `: ${action.kind}`;
    log.info({ user, alertId: alert.id, action: action.kind }, `alert ${alert.id}${to}`);
    const said = applied.unthreaded ?? (away ? applied.said : undefined);
    // Handled where no message of its own shows it (a roll-up, a summary, a refused post): its Undo is nowhere
    // else, so it goes with the answer.
    const handled = decision.status && decision.status.to !== "open" ? decision.status.to : null;
    const undo = handled && !alertMessage(deps.triage.stores, alert) ? applied.alert : undefined;
    if (said || undo)
      await tell(said ?? `Recorded: alert ${alert.id} ${DONE[handled ?? "open"]}.`, undo);
  }

  app.action<BlockAction<OverflowAction>>(
    ACTIONS.snooze,
    async ({ ack, body, action, respond }) => {
      await ack();
      const user = body.user.id;
      const { tell, done } = teller(body, respond, deps.home, log);
      const [value, hoursText] = (action.selected_option?.value ?? "").split(":");
      const hours = SNOOZE_HOURS.find((h) => String(h) === hoursText);
      if (!hours) {
        await tell(UNKNOWN_ALERT);
        return;
      }
      const alert = alertOf(value, user, clickedMessage(body));
      if (typeof alert === "string") {
        await tell(alert);
        return;
      }
      await act(user, alert, { kind: "snooze", hours }, tell);
      await done();
    },
  );

  app.action<BlockAction<ButtonAction>>(
    /^alert_(?!snooze$)/,
    async ({ ack, body, action, respond }) => {
      await ack();
      const user = body.user.id;
      const { tell, done } = teller(body, respond, deps.home, log);
      // End or Remove in the settings' lists: the alert, and the row listed that it ends alone.
      const listed = LISTED.has(action.action_id) ? readListedRef(action.value) : undefined;
      const alert = alertOf(listed?.alert ?? action.value, user, clickedMessage(body));
      if (typeof alert === "string") {
        await tell(alert);
        return;
      }
      if (action.action_id === ACTIONS.settings) {
        const check = await deps.responders.check(user);
        await tell(check.ok ? settingsText(alert, deps.orgs.several) : check.message);
        return;
      }
      const button = BUTTONS[action.action_id] as LearningAction | undefined;
      const row = listed?.row === undefined ? {} : { row: listed.row };
      if (button) await act(user, alert, { ...button, ...row }, tell, listed !== undefined);
      await done();
    },
  );
}

import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { RulesFile } from "../detect/rules-file.js";
import { WatchedOrgs } from "../organizations.js";
import type { EventStore } from "../store/events.js";
import type { Answer, FollowUpStore } from "../store/followups.js";
import type { ActionDeps, ActionStores } from "./actions.js";
import { alertRef, queueAlertReply, queueAlertUpdate } from "./alert-thread.js";
import { ASK_ACTIONS, answeredMessage } from "./blocks/ask.js";
import { PRIORITY } from "./outbox/priority.js";

/** The alert buttons' dependencies, and what asking needs besides. */
export interface AskActionDeps extends ActionDeps {
  readonly stores: ActionStores & {
    readonly followUps: FollowUpStore;
    readonly events: EventStore;
  };
  readonly ask: RulesFile["ask"];
  /** When the next reminder falls due after `from` (null: reminders off). */
  readonly reminderAfter: (from: number) => number | null;
}

/**
 * The person's answer to "did you do this?". Only the person asked may answer, once. "Yes" is
 * noted in the trail and the thread (and marks the alert expected for the rules configured so);
 * "no" makes the alert high severity and open again, and calls the responders.
 */
export function registerAskActions(app: App, deps: AskActionDeps): void {
  const { alerts, followUps, trail, events, outbox } = deps.stores;
  const log = deps.logger.child({ component: "ask" });
  const orgs = deps.orgs ?? new WatchedOrgs([deps.orgId]);

  app.action<BlockAction<ButtonAction>>(
    new RegExp(`^(${ASK_ACTIONS.yes}|${ASK_ACTIONS.no})$`),
    async ({ ack, body, action, respond }) => {
      await ack();
      const user = body.user.id;
      const tell = (text: string) =>
        respond({ response_type: "ephemeral", replace_original: false, text });
      const id = /^\d{1,12}$/.test(action.value ?? "") ? Number(action.value) : undefined;
      const alert = id === undefined ? undefined : alerts.get(id);
      const followUp =
        alert && orgs.includes(alert.orgId) ? followUps.get(alert.orgId, alert.id) : undefined;
      if (!alert || !followUp) {
        await tell("That question is not known here any more.");
        return;
      }
      const { orgId } = alert;
      if (followUp.askedUser !== user) {
        log.warn({ user, alertId: alert.id }, "an answer refused: not the person asked");
        await tell("Only the person this question was sent to can answer it.");
        return;
      }
      const answer: Answer = action.action_id === ASK_ACTIONS.yes ? "yes" : "no";
      const now = deps.clock.now();
      // The answer, what it changes and the messages that say so: one transaction.
      const recorded = outbox.atomically(() => {
        if (!followUps.answer(orgId, alert.id, answer, now)) return false;
        trail.note(orgId, alert.id, user, now, `the person asked answered ${answer}`);
        let thread: string;
        if (answer === "yes") {
          const expected =
            deps.ask.expectedOnYes.includes(alert.ruleId) &&
            trail.change(
              orgId,
              alert.id,
              "expected",
              user,
              now,
              (s) => s === "open",
              "confirmed by the person",
            ).changed;
          thread = `✅ <@${user}> confirmed this was them.${expected ? " Marked expected." : ""}`;
        } else {
          alerts.raiseSeverity(orgId, alert.id, "high", now);
          trail.change(
            orgId,
            alert.id,
            "open",
            user,
            now,
            (s) => s !== "open",
            "the person said it was not them",
          );
          followUps.resumeReminders(orgId, alert.id, deps.reminderAfter(now));
          thread = `🚨 <@${user}> says this was *not* them: their account may be used by someone else. ${deps.responders.mention()} please look now.`;
        }
        const priority = answer === "yes" ? PRIORITY.reply : PRIORITY.urgent;
        queueAlertReply(
          deps.stores,
          alert,
          { key: `answer:${orgId}:${alert.id}`, text: thread, priority },
          now,
        );
        const updated = alerts.get(alert.id);
        if (updated) queueAlertUpdate(deps.stores, updated, deps.render(updated), now);
        if (followUp.dmChannel && followUp.dmTs) {
          const message = answeredMessage(alert, events.bySeq(alert.firstEventSeq), answer, now);
          outbox.enqueue(
            {
              key: `ask-answered:${orgId}:${alert.id}`,
              kind: "ask-update",
              method: "chat.update",
              orgId,
              ref: alertRef(alert),
              to: { channel: followUp.dmChannel, ts: followUp.dmTs },
              payload: { text: message.text, blocks: message.blocks },
              priority: PRIORITY.update,
            },
            now,
          );
        }
        return true;
      });
      if (!recorded) {
        await tell(`You have answered this already (${followUp.answer ?? "answered"}).`);
        return;
      }
      deps.queued();
      log.info(
        { user, alertId: alert.id, answer },
        `alert ${alert.id}: the person answered ${answer}`,
      );
    },
  );
}

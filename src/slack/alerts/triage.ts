import { type Alert, neverQuieted } from "../../domain/alert.js";
import { muteLabel } from "../../domain/mute.js";
import type { AlertStore } from "../../store/alerts.js";
import type { DeliveryStore } from "../../store/deliveries.js";
import type { EventStore } from "../../store/events.js";
import type { FollowUpStore } from "../../store/followups.js";
import type { MuteStore } from "../../store/mutes.js";
import type { OutboxStore } from "../../store/outbox.js";
import type { SuppressionStore } from "../../store/suppressions.js";
import type { TrailStore } from "../../store/trail.js";
import { DAY } from "../../time-units.js";
import { decide, expectedMuteTag, LEARN_DAYS } from "../../triage/decide.js";
import type {
  Decision,
  Learned,
  TriageAction,
  TriageActor,
  TriageSettings,
} from "../../triage/decision.js";
import { counted } from "../../words.js";
import type { SlackMessage } from "../blocks/alert.js";
import { answeredMessage } from "../blocks/ask.js";
import { mrkdwn, slackDate } from "../escape.js";
import { PRIORITY } from "../outbox/priority.js";
import { alertRef, messageShows, queueAlertReply, queueAlertUpdate } from "./alert-thread.js";
import { titledEvent } from "./titled-event.js";
import { type Ended, person, raiseHidden, undoQuiet, unmute } from "./unmute.js";

const NEVER_NOW = "alerts of this rule are never quieted now";

export interface TriageStores {
  readonly alerts: AlertStore;
  readonly trail: TrailStore;
  readonly mutes: MuteStore;
  readonly suppressions: SuppressionStore;
  readonly followUps: FollowUpStore;
  readonly deliveries: DeliveryStore;
  readonly outbox: OutboxStore;
  readonly events: EventStore;
}

export interface TriageDeps {
  readonly stores: TriageStores;
  readonly settings: TriageSettings;
  /** The current message of an alert. */
  readonly render: (alert: Alert) => SlackMessage;
  /** Who to call when a person says it was not them. */
  readonly mention: () => string;
  /** When the next reminder falls due after `from` (null: reminders off). */
  readonly reminderAfter: (from: number) => number | null;
  /** The organization's name, for the person's messages, when several are watched. */
  readonly organization?: (orgId: string) => string | undefined;
  /**
   * Gives an alert counted in a roll-up or summary, high now, its message of its own (its
   * organization's alert producer: AlertOutbox.postAlone); false when it has one already.
   */
  readonly postAlone: (alert: Alert, now: number) => boolean;
}

export interface Applied {
  readonly alert: Alert;
  readonly decision: Decision;
  /** What the alert's thread is told. */
  readonly said?: string;
  /** The thread's reply, when the alert has no thread to reply in: told to the actor instead. */
  readonly unthreaded?: string;
  /** The outbox item that shows the alert's message as it is now (an update, or its post). */
  readonly shownBy?: number;
}

/** What is taught about an alert that names neither account nor e-mail: nothing. */
const NOTHING_LEARNED: Learned = { expected: 0, mute: undefined, suppression: undefined };

/** What responders have taught about an alert's rule and person, as of `now`. */
export function readLearned(
  stores: Pick<TriageStores, "alerts" | "mutes" | "suppressions">,
  alert: Alert,
  now: number,
): Learned {
  const who = person(alert);
  if (who === undefined) return NOTHING_LEARNED;
  const running = stores.mutes.running(alert.orgId, alert.ruleId, who, now);
  const [mute] = running;
  const suppression = stores.suppressions.coveringAt(alert.orgId, alert.ruleId, who, now);
  // Expected marks made before a confirmed compromise of the pattern are no lesson.
  const since = Math.max(
    now - LEARN_DAYS * DAY,
    (stores.alerts.confirmedAt(alert.orgId, alert.ruleId, who) ?? 0) + 1,
  );
  return {
    expected: stores.alerts.expectedSince(alert.orgId, alert.ruleId, who, since),
    mute: mute && { until: mute.until, reason: muteLabel(mute) },
    mutedHere: running.some((m) => m.reason.includes(expectedMuteTag(alert.id))),
    suppression: suppression && {
      id: suppression.id,
      by: suppression.createdBy,
      at: suppression.createdAt,
      reason: suppression.reason,
    },
  };
}

/**
 * Decides a click or an answer on an alert from the state read in the same transaction, and
 * applies it there: status and trail, mute, answer, reminders, the messages that say so. A
 * crash leaves all of it or none.
 */
export function applyTriage(
  deps: TriageDeps,
  alertId: number,
  action: TriageAction,
  actor: TriageActor,
  now: number,
): Applied | undefined {
  const { stores } = deps;
  return stores.outbox.atomically((): Applied | undefined => {
    const alert = stores.alerts.get(alertId);
    if (!alert) return undefined;
    const { orgId } = alert;
    const followUp = stores.followUps.get(orgId, alert.id);
    const decision = decide(
      {
        alert,
        learned: readLearned(stores, alert, now),
        lastChange: stores.trail.lastChange(orgId, alert.id),
        asked: followUp && { user: followUp.askedUser, answer: followUp.answer },
      },
      action,
      actor,
      now,
      deps.settings,
    );
    if (decision.refused?.note)
      stores.trail.note(orgId, alert.id, actor.id, now, decision.refused.note);
    if (decision.answer)
      stores.followUps.answer(
        orgId,
        alert.id,
        decision.answer,
        now,
        decision.answeredAsResponder === true,
      );
    for (const note of decision.notes) stores.trail.note(orgId, alert.id, actor.id, now, note);
    if (decision.severity)
      stores.alerts.raiseSeverity(orgId, alert.id, decision.severity, now, actor.id);
    if (decision.status)
      stores.trail.change(
        orgId,
        alert.id,
        decision.status.to,
        actor.id,
        now,
        () => true,
        decision.status.note,
      );
    // decide refuses to quiet an alert that names neither account nor e-mail (no `who`).
    const who = person(alert);
    if (decision.mute && who !== undefined)
      stores.mutes.add(
        orgId,
        { ruleId: alert.ruleId, userKey: who, ...decision.mute },
        actor.id,
        now,
      );
    if (decision.suppress && who !== undefined)
      stores.suppressions.add(
        orgId,
        {
          ruleId: alert.ruleId,
          userKey: who,
          reason: decision.suppress.reason,
          alertId: alert.id,
        },
        actor.id,
        now,
      );
    const undone = undoQuiet(stores, alert, decision.undo, actor.id, now);
    // One an earlier release set on a rule never quieted hid alerts then: raised again now.
    const stale = neverQuieted(alert.ruleId) && undone.length > 0;
    const raised = decision.unmute
      ? unmute(stores, alert, actor.id, now)
      : stale
        ? { ended: undone, alertId: raiseHidden(stores, alert, orgId, undone, now, NEVER_NOW) }
        : undefined;
    if (decision.reminders === "stop") stores.followUps.stopReminders(orgId, alert.id);
    if (decision.reminders === "resume")
      stores.followUps.resumeReminders(orgId, alert.id, deps.reminderAfter(now));
    let unthreaded: string | undefined;
    let said: string | undefined;
    // As it is now: a "not me" raised it to high, and the page names it so.
    const current = stores.alerts.get(alert.id) ?? alert;
    // High alerts always post alone: one counted only in a roll-up or summary gets its own
    // message now (once, as when its group grows high), its thread (below) calling the
    // responders and taking its reminders.
    const alone = decision.severity === "high" && deps.postAlone(current, now);
    if (decision.told) {
      const text = told(
        decision,
        current,
        actor.id,
        deps.mention(),
        raised,
        deps.organization?.(orgId),
      );
      const key = `${decision.told.kind}:${orgId}:${alert.id}:${actor.id}:${now}`;
      const urgent = decision.told.kind === "denied";
      const priority = urgent ? PRIORITY.urgent : PRIORITY.reply;
      said = text;
      if (!queueAlertReply(stores, alert, { key, text, priority }, now)) unthreaded = text;
    }
    // A click that changed nothing redraws only a message not showing the alert as it is.
    const view = decision.show && !alone ? deps.render(current) : undefined;
    const shownBy =
      view && !(decision.refused && messageShows(stores, current, view))
        ? queueAlertUpdate(stores, current, view, now, actor.id)
        : undefined;
    if (decision.answer && followUp?.dmChannel && followUp.dmTs) {
      const event = titledEvent(stores, alert);
      const message = answeredMessage(
        alert,
        event,
        decision.answer,
        now,
        deps.organization?.(orgId),
        decision.answeredAsResponder === true,
      );
      const to = { channel: followUp.dmChannel, ts: followUp.dmTs };
      const payload = { text: message.text, blocks: message.blocks };
      const [kind, method, priority] = ["ask-update", "chat.update", PRIORITY.update] as const;
      const key = `ask-answered:${orgId}:${alert.id}`;
      stores.outbox.enqueue(
        { key, kind, method, orgId, ref: alertRef(alert), to, payload, priority },
        now,
      );
    }
    return {
      alert: current,
      decision,
      ...(said ? { said } : {}),
      ...(unthreaded ? { unthreaded } : {}),
      ...(shownBy !== undefined ? { shownBy } : {}),
    };
  });
}

/** What the alert's thread says about the decision. */
function told(
  decision: Decision,
  alert: Alert,
  actor: string,
  mention: string,
  raised: { ended: Ended[]; alertId: number | undefined } | undefined,
  organization: string | undefined,
): string {
  const t = decision.told;
  const who = alert.userName ?? alert.userEmail ?? alert.userId ?? "this account";
  const pattern = `${mrkdwn(alert.ruleId, 60)} alerts about ${mrkdwn(who, 200)}`;
  if (t?.kind === "learned") {
    if (t.did === "mute-30")
      return `🔕 <@${actor}> muted ${pattern} for 30 days: they are still stored and counted, not posted. Undo on the alert.`;
    if (t.did === "suppress")
      return `🔕 <@${actor}> suppressed ${pattern}: from now on they are stored and counted, never posted. Undo on the alert or in \`/mcp-activity settings\`.`;
    // One an earlier release set on a rule never quieted keeps nothing quiet now; what it hid
    // before is raised again.
    const after = !neverQuieted(alert.ruleId)
      ? "they are posted again."
      : raised?.alertId === undefined
        ? "it kept nothing quiet (alerts of this rule are never quieted)."
        : `what it kept quiet before alerts of this rule were never quieted is raised again as alert ${raised.alertId}.`;
    if (t.did === "unmute") return `🔔 <@${actor}> ended the mute of ${pattern}: ${after}`;
    return `🔔 <@${actor}> removed the suppression of ${pattern}: ${after}`;
  }
  if (t?.kind === "muted")
    return `🔕 <@${actor}> marked this expected and muted ${pattern} until ${slackDate(t.until)}: they are still stored and counted, not posted. Undo (reopen) ends the mute.`;
  if (t?.kind === "snoozed") {
    return `💤 <@${actor}> snoozed ${mrkdwn(alert.ruleId, 60)} alerts about ${mrkdwn(who, 200)} until ${slackDate(t.until)}: they are still stored and counted, not posted.`;
  }
  if (t?.kind === "confirmed" && decision.answeredAsResponder)
    return `✅ <@${actor}> confirmed this was them. They are a responder, so that handles nothing: another responder must handle alerts about them.`;
  if (t?.kind === "confirmed")
    return `✅ <@${actor}> confirmed this was them.${t.expected ? " Marked expected." : ""}`;
  const ended =
    raised && raised.ended.length > 0
      ? ` ${endedCounts(raised.ended)} of alerts about them ended${raised.alertId === undefined ? "" : `; what they kept quiet is raised again as alert ${raised.alertId}`}.`
      : "";
  // Its notification pages responders, and shows no alert: it names it, and where.
  const what = `[${alert.severity.toUpperCase()}] alert ${alert.id}: ${mrkdwn(alert.title, 300)}${organization === undefined ? "" : ` · ${mrkdwn(organization, 100)}`}`;
  const stays = t?.kind === "denied" && t.confirmed ? " It stays marked true positive." : "";
  return `🚨 <@${actor}> says this was *not* them (${what}): their account may be used by someone else. ${mention} please look now.${stays}${ended}`;
}

/** "2 mutes", "1 mute and 1 suppression". */
function endedCounts(ended: readonly Ended[]): string {
  const mutes = ended.filter((e) => "until" in e).length;
  const suppressions = ended.length - mutes;
  return [
    ...(mutes > 0 ? [counted(mutes, "mute")] : []),
    ...(suppressions > 0 ? [counted(suppressions, "suppression")] : []),
  ].join(" and ");
}

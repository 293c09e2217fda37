import { type Alert, neverQuieted } from "../../domain/alert.js";
import { muteLabel } from "../../domain/mute.js";
import { subjectLabel } from "../../domain/subject-label.js";
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
import type { SlackMessage } from "../blocks/alert.js";
import { answeredMessage } from "../blocks/ask.js";
import { PRIORITY } from "../outbox/priority.js";
import { alertRef, messageShows, queueAlertReply, queueAlertUpdate } from "./alert-thread.js";
import { titledEvent } from "./titled-event.js";
import { told } from "./triage-told.js";
import { person, raiseHidden, undoQuiet, unmute } from "./unmute.js";

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

/** The subject a mute or suppression set from the alert covers, with its words (none: every one). */
const quietSubjectOf = (alert: Alert): { subject?: string; subjectLabel?: string } =>
  alert.subject === undefined ? {} : { subject: alert.subject, subjectLabel: subjectLabel(alert) };

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
  // Those covering its subject: a mute of the same person's other subject is not this alert's.
  const running = stores.mutes.running(alert.orgId, alert.ruleId, who, now, alert.subject);
  const [mute] = running;
  const { suppressions } = stores;
  const suppression = suppressions.coveringAt(
    alert.orgId,
    alert.ruleId,
    who,
    now,
    now,
    alert.subject,
  );
  // Expected marks made before a confirmed compromise of the pattern are no lesson.
  const since = Math.max(
    now - LEARN_DAYS * DAY,
    (stores.alerts.confirmedAt(alert.orgId, alert.ruleId, who) ?? 0) + 1,
  );
  return {
    expected: stores.alerts.expectedSince(alert.orgId, alert.ruleId, who, since),
    mute: mute && {
      until: mute.until,
      reason: muteLabel(mute),
      ...(mute.subjectLabel === undefined ? {} : { subjectLabel: mute.subjectLabel }),
    },
    mutedHere: running.some((m) => m.reason.includes(expectedMuteTag(alert.id))),
    suppression: suppression && {
      id: suppression.id,
      by: suppression.createdBy,
      at: suppression.createdAt,
      reason: suppression.reason,
      ...(suppression.subjectLabel === undefined ? {} : { subjectLabel: suppression.subjectLabel }),
    },
  };
}

/**
 * Decides a click or an answer on an alert from the state read in the same transaction, and
 * applies it there: status and trail, mute, answer, reminders, the messages that say so. A
 * crash leaves all of it or none. `also`: the other keys the alert's person is known by (see
 * `unmute`), whose mutes and suppressions a "not me" ends too.
 */
export function applyTriage(
  deps: TriageDeps,
  alertId: number,
  action: TriageAction,
  actor: TriageActor,
  now: number,
  also: readonly string[] = [],
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
    // Either covers the alert's subject alone, where it has one.
    const about = quietSubjectOf(alert);
    if (decision.mute && who !== undefined)
      stores.mutes.add(
        orgId,
        { ruleId: alert.ruleId, userKey: who, ...about, ...decision.mute },
        actor.id,
        now,
      );
    if (decision.suppress && who !== undefined)
      stores.suppressions.add(
        orgId,
        {
          ruleId: alert.ruleId,
          userKey: who,
          ...about,
          reason: decision.suppress.reason,
          alertId: alert.id,
        },
        actor.id,
        now,
      );
    const undone = undoQuiet(stores, alert, decision.undo, actor.id, now, decision.row);
    // One an earlier release set on a rule never quieted hid alerts then: raised again now.
    const stale = neverQuieted(alert.ruleId) && undone.length > 0;
    const raised = decision.unmute
      ? unmute(stores, alert, actor.id, now, also)
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
        undone,
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

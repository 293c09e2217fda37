import type { Clock } from "../../clock.js";
import type { RulesFile } from "../../detect/rules-file.js";
import { workingDueAt } from "../../detect/working-time.js";
import { isSnooze } from "../../domain/mute.js";
import { quietKey } from "../../domain/person-key.js";
import { severityRank } from "../../domain/severity.js";
import type { Logger } from "../../logger.js";
import type { AlertStore } from "../../store/alerts.js";
import type { DeliveryStore } from "../../store/deliveries.js";
import type { EventStore } from "../../store/events.js";
import type { FollowUpStore, PostedAlert } from "../../store/followups.js";
import type { MuteStore } from "../../store/mutes.js";
import type { OutboxStore } from "../../store/outbox.js";
import type { TrailStore } from "../../store/trail.js";
import { HOUR, MINUTE } from "../../time-units.js";
import { unquietable } from "../../triage/unquietable.js";
import { counted } from "../../words.js";
import { type HandledFailure, Loop, type Worker } from "../../workers/worker.js";
import {
  type AlertMessages,
  alertMessage,
  alertRef,
  queueAlertReply,
} from "../alerts/alert-thread.js";
import { titledEvent } from "../alerts/titled-event.js";
import { askMessage } from "../blocks/ask.js";
import type { SlackDirectory } from "../directory.js";
import { classifySlackError } from "../failure.js";
import { PRIORITY } from "../outbox/priority.js";
import type { Responders } from "../responders.js";
import type { AddressStores } from "./address-now.js";
import { openSince, reminderText } from "./reminder-text.js";
import { type AskWhom, type NotAsked, whomToAsk } from "./whom-to-ask.js";

const TICK_MS = 15_000;
const MAX_REMINDERS = 2;
/** A question not delivered within a day is not asked any more. */
const ASK_DEADLINE_MS = 24 * HOUR;
/** A reminder due later than a reminder's time from now by less is left: a small step of the clock. */
const STEP_MARGIN_MS = MINUTE;

export interface FollowUpStores {
  readonly alerts: AlertStore;
  readonly followUps: FollowUpStore;
  readonly events: EventStore;
  readonly outbox: OutboxStore;
  readonly deliveries: DeliveryStore;
  /** Whether an alert was reopened, for its reminder's words. */
  readonly trail: TrailStore;
  /** A snooze of an alert's rule and person, which its reminders wait for. */
  readonly mutes: MuteStore;
  /** Who has an address now: whom to ask (see `whomToAsk`). */
  readonly activity: AddressStores["activity"];
}

/** Why the questions of a pass wait: Slack failed to look a person up for now. */
interface Waiting {
  readonly code: string;
  readonly error: unknown;
}

export interface FollowUpOptions {
  readonly stores: FollowUpStores;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly orgId: string;
  /** Every watched organization: an account and the Slack user of its address are the same in each. */
  readonly orgIds: readonly string[];
  readonly rules: Pick<RulesFile, "ask" | "escalation" | "workingHours">;
  readonly directory: SlackDirectory;
  readonly responders: Responders;
  /** The organization's name, for the question, when several are watched. */
  readonly organization?: () => string | undefined;
  /** Told when something was queued, to send it now. */
  readonly queued?: () => void;
}

/**
 * After an alert is posted: asks the person behind it "did you do this?" by direct message (for
 * the rules configured to ask), and reminds the responders, in the alert's thread, of alerts still
 * open and not confirmed by their person after the escalation delay, twice at most. Each step is recorded with its
 * message queued in the outbox, in one transaction: never lost, never repeated.
 */
export class FollowUps {
  private readonly store: FollowUpStore;
  private readonly messages: AlertMessages;
  private readonly log: Logger;

  constructor(private readonly o: FollowUpOptions) {
    this.store = o.stores.followUps;
    this.messages = o.stores;
    this.log = o.logger.child({ component: "followups" });

    this.worker = new Loop({
      name: "follow-ups",
      orgId: this.o.orgId,
      clock: this.o.clock,
      logger: this.o.logger,
      failure: "follow-ups failed",
      every: () => TICK_MS,
      pass: () => this.pass(),
    });
  }

  /** A pass every 15 seconds. */
  readonly worker: Worker;

  /** What holds follow-ups back, as last logged: said once while it lasts, and when it ends. */
  private paused: string | undefined;

  /**
   * One pass: new posted alerts, then reminders that are due. Never throws. A person Slack cannot
   * look up for now (an outage) is asked at a later pass; the other alerts and the reminders go on.
   */
  async pass(): Promise<HandledFailure | undefined> {
    try {
      let waiting: Waiting | undefined;
      for (const posted of this.store.unseen(this.o.orgId))
        waiting = (await this.begin(posted, waiting)) ?? waiting;
      this.stepBack(this.o.clock.now());
      for (const posted of this.store.dueReminders(this.o.orgId, this.o.clock.now()))
        this.remind(posted);
      this.o.queued?.();
      if (waiting) return this.held(waiting, true);
      if (this.paused) this.log.info(`follow-ups resume (they were held back: ${this.paused})`);
      this.paused = undefined;
      return undefined;
    } catch (error) {
      return this.held({ code: classifySlackError(error).code, error }, false);
    }
  }

  /** Says what holds follow-ups back (`questions`: the questions alone), once while it lasts. */
  private held({ code, error }: Waiting, questions: boolean): HandledFailure {
    const failed = questions
      ? `questions to the people behind alerts wait (${code})`
      : `follow-ups paused (${code})`;
    const level = this.paused === failed ? "debug" : "warn";
    this.paused = failed;
    const next = questions
      ? ": they are asked next pass; reminders go on"
      : "; they resume next pass";
    this.log[level]({ err: error, code }, `${failed}${next}`);
    return { failed };
  }

  /** When the reminder after `from` falls due; null when reminders are off. */
  reminderAfter(from: number): number | null {
    const { afterMinutes, workingHoursOnly } = this.o.rules.escalation;
    if (afterMinutes === 0) return null;
    const delay = afterMinutes * 60_000;
    return workingHoursOnly ? workingDueAt(from, delay, this.o.rules.workingHours) : from + delay;
  }

  /**
   * A reminder is due a reminder's time from now at the latest: one set further ahead (by more
   * than a small step of the clock) was set by a clock that was ahead (at a start, or before NTP
   * stepped it back), and would come late by the step, or under longer escalation rules.
   */
  private stepBack(now: number): void {
    // A reminder's time from now is `afterMinutes` from now at the soonest (kept to working
    // hours, later): with no reminder due later, the working hours' calendar is not walked.
    const { afterMinutes } = this.o.rules.escalation;
    const last = this.store.latestReminder(this.o.orgId);
    if (last === undefined || last <= now + afterMinutes * MINUTE + STEP_MARGIN_MS) return;
    const latest = this.reminderAfter(now);
    if (latest === null) return;
    const moved = this.store.bringForward(this.o.orgId, latest, latest + STEP_MARGIN_MS);
    if (moved > 0)
      this.log.info(
        { reminders: moved },
        `${counted(moved, "reminder")} due later than a reminder's time from now (set by a clock that was ahead, or under escalation rules since shortened) now due a reminder's time from now`,
      );
  }

  /**
   * Starts an alert's follow-up: asks its person, or says in its thread why nobody is asked.
   * Returns why it waits when Slack cannot look the person up for now (`waiting`: a look-up of this
   * pass failed so, and no other is tried): begun at a later pass.
   */
  private async begin(posted: PostedAlert, waiting?: Waiting): Promise<Waiting | undefined> {
    const { alert } = posted;
    const { orgId } = this.o;
    const { outbox } = this.o.stores;
    const reminder = this.reminderAfter(posted.deliveredAt);
    if (!this.o.rules.ask.rules.includes(alert.ruleId)) {
      this.store.start(orgId, alert.id, { state: "none" }, reminder, this.o.clock.now());
      return undefined;
    }
    if (waiting) return waiting;
    const deps = {
      followUps: this.store,
      activity: this.o.stores.activity,
      orgIds: this.o.orgIds,
      directory: this.o.directory,
    };
    let whom: AskWhom | NotAsked;
    try {
      whom = await whomToAsk(alert, deps, this.o.clock.now());
    } catch (error) {
      return { code: classifySlackError(error).code, error };
    }
    const now = this.o.clock.now();
    if ("reason" in whom) {
      const { reason, refused } = whom;
      outbox.atomically(() => {
        const notAsked = { state: "not-asked", reason } as const;
        if (!this.store.start(orgId, alert.id, notAsked, reminder, now)) return;
        this.reply(alert, `not-asked:${orgId}:${alert.id}`, `Not asked: ${reason}`, now);
        // Slack refused the look-up (a missing scope): the operator's to fix. No address logged.
        if (refused)
          this.log.warn(
            { alertId: alert.id },
            `alert ${alert.id}: its person was not asked: Slack refused to look them up by e-mail (${refused})`,
          );
      });
      return undefined;
    }
    const { user, readdressed } = whom;
    const question = askMessage(alert, titledEvent(this.o.stores, alert), this.o.organization?.());
    outbox.atomically(() => {
      if (!this.store.start(orgId, alert.id, { state: "sending", user }, reminder, now)) return;
      outbox.enqueue(
        {
          key: `ask:${orgId}:${alert.id}`,
          kind: "ask",
          method: "chat.postMessage",
          orgId,
          ref: alertRef(alert),
          to: { user },
          payload: question,
          priority: PRIORITY.reply,
          data: { user, readdressed },
          deadline: now + ASK_DEADLINE_MS,
        },
        now,
      );
      this.log.info({ alertId: alert.id, user }, `asking the person behind alert ${alert.id}`);
    });
    return undefined;
  }

  private remind(posted: PostedAlert): void {
    const { alert } = posted;
    const { orgId } = this.o;
    const followUp = this.store.get(orgId, alert.id);
    if (!followUp) return;
    if (alert.status !== "open" || followUp.confirmed) {
      this.store.stopReminders(orgId, alert.id);
      return;
    }
    const number = followUp.reminders + 1;
    const now = this.o.clock.now();
    // Snoozed: its reminder waits for the snooze's end, looked at again a reminder's time from
    // now at the latest (see stepBack), and is not used up.
    const snoozed = this.snoozedUntil(alert, now);
    if (snoozed !== undefined) {
      const at = Math.min(snoozed, this.reminderAfter(now) ?? snoozed);
      this.store.postpone(orgId, alert.id, followUp.reminders, at);
      return;
    }
    // Below escalation.minSeverity: its reminder's time passes without one, and without using
    // one up. It is reminded of at the next time if it grew severe enough meanwhile.
    if (severityRank(alert.severity) < severityRank(this.o.rules.escalation.minSeverity)) {
      this.store.postpone(orgId, alert.id, followUp.reminders, this.reminderAfter(now));
      return;
    }
    // Counted only in a roll-up or summary, it has no thread to be reminded in: its time passes
    // without one, as below minSeverity, until it has a message of its own (a "not me").
    if (!alertMessage(this.messages, alert)) {
      this.store.postpone(orgId, alert.id, followUp.reminders, this.reminderAfter(now));
      return;
    }
    // The last reminder still waits for Slack (an outage), or was sent late: the next counts
    // from when it was sent, never posted minutes after it.
    const last = this.o.stores.outbox.byRef(alertRef(alert), "reminder");
    const unsent = last?.state === "pending" || last?.state === "claimed";
    // One sent later than now, by a clock that was ahead, was waited after since (see stepBack).
    const sentAt = last?.deliveredAt ?? null;
    const after = unsent
      ? this.reminderAfter(now)
      : sentAt === null || sentAt > now
        ? null
        : this.reminderAfter(sentAt);
    if (after !== null && after > now) {
      this.store.postpone(orgId, alert.id, followUp.reminders, after);
      return;
    }
    const next = number < MAX_REMINDERS ? this.reminderAfter(now) : null;
    const text = reminderText({
      mention: this.o.responders.mention(),
      alert,
      organization: this.o.organization?.(),
      open: openSince(this.o.stores.trail.history(orgId, alert.id), posted.deliveredAt),
      unanswered: followUp.askState === "sent" ? (followUp.askedUser ?? undefined) : undefined,
      isLast: number === MAX_REMINDERS,
    });
    this.o.stores.outbox.atomically(() => {
      if (!this.store.claimReminder(orgId, alert.id, followUp.reminders, next)) return;
      queueAlertReply(
        this.messages,
        alert,
        {
          key: `reminder:${orgId}:${alert.id}:${number}:${now}`,
          kind: "reminder",
          text,
          priority: PRIORITY.urgent,
          data: { reminder: number },
        },
        now,
      );
      this.log.info(
        { alertId: alert.id, reminder: number },
        `reminder ${number} for alert ${alert.id}`,
      );
    });
  }

  /**
   * When the snooze of the alert's rule and person covering its subject ends, the longest running
   * now (with workingHoursOnly, the working time after); undefined when none is, or when nothing
   * quiets the alert (one about the organization: a snooze of its person's own alert is not its).
   */
  private snoozedUntil(alert: PostedAlert["alert"], now: number): number | undefined {
    const who = quietKey(alert);
    if (who === undefined || unquietable(alert) !== undefined) return undefined;
    const snoozes = this.o.stores.mutes
      .running(alert.orgId, alert.ruleId, who, now, alert.subject)
      .filter((m) => isSnooze(m.reason));
    if (snoozes.length === 0) return undefined;
    const end = Math.max(...snoozes.map((m) => m.until));
    const { workingHoursOnly } = this.o.rules.escalation;
    return workingHoursOnly ? workingDueAt(end, 1, this.o.rules.workingHours) : end;
  }

  private reply(alert: PostedAlert["alert"], key: string, text: string, now: number): void {
    queueAlertReply(this.messages, alert, { key, text }, now);
  }
}

import { budgetFor, hourOf } from "../../detect/budget.js";
import type { Alert } from "../../domain/alert.js";
import type { Logger } from "../../logger.js";
import type { ChannelBacklog } from "../../store/channel-backlog.js";
import type { DeliveryStore, PendingAlert } from "../../store/deliveries.js";
import { fromStore } from "../../store/errors.js";
import type { OutboxStore } from "../../store/outbox.js";
import type { SlackMessage } from "../blocks/alert.js";
import type { JoinedEvents } from "../blocks/growth-reply.js";
import { overflowSummary } from "../blocks/summary.js";
import { alertPriority, PRIORITY } from "../outbox/priority.js";
import { type AlertMessages, alertRef, queueAlertUpdate } from "./alert-thread.js";
import { FailingAlerts } from "./failing-alerts.js";
import { queueGrowth } from "./growth-queue.js";
import { HeldBack } from "./held-back.js";
import { queueRollup } from "./rollup-queue.js";

export { GROWTH_KIND } from "./growth-queue.js";

/** A backlog's high alerts posted one by one, at most: more are counted in its summary. */
const MAX_HIGH_ALONE = 50;

export interface AlertOutboxOptions {
  readonly outbox: OutboxStore;
  readonly deliveries: DeliveryStore;
  readonly logger: Logger;
  readonly orgId: string;
  readonly channel: string;
  /** The current message of an alert (its view changes with its status). */
  readonly render: (alert: Alert) => SlackMessage;
  readonly now: () => number;
  /** Posts a channel takes per minute; a larger backlog is summarised. Default 60. */
  readonly perMinute?: number;
  /** Alerts still posted one by one when the backlog is summarised, most severe first. Default 10. */
  readonly keepIndividually?: number;
  /** The organization's name for the messages, when several are watched. */
  readonly organization?: () => string | undefined;
  /** Alert messages an hour (maxAlertsPerHour); past it, the hour's roll-up. Default 10. */
  readonly maxPerHour?: number;
  /** The events that joined an alert after a seq: each growth reply names those since the last. */
  readonly joined?: (alert: Alert, afterSeq: number) => JoinedEvents;
  /** The channel's posts while Slack does not take them: alerts are held back meanwhile. */
  readonly backlog?: ChannelBacklog;
  /** Who a growth reply calls when the alert became more severe (the responders). Default @here. */
  readonly mention?: () => string;
}

/**
 * Queues what Slack has yet to show of one organization's alerts: each new alert's message (a
 * summary instead, for a backlog larger than a minute of posting), and an update and a thread
 * reply when a posted alert's group grows. Messages are rendered when queued: the outbox sends
 * what was decided, and a message not sent yet is replaced rather than followed by an update.
 */
export class AlertOutbox {
  private readonly perMinute: number;
  private readonly keep: number;
  private readonly messages: AlertMessages;
  private readonly failing: FailingAlerts;
  private readonly held: HeldBack | undefined;

  constructor(private readonly o: AlertOutboxOptions) {
    this.perMinute = o.perMinute ?? 60;
    this.keep = o.keepIndividually ?? 10;
    this.messages = { outbox: o.outbox, deliveries: o.deliveries };
    this.failing = new FailingAlerts(o);
    this.held = o.backlog && new HeldBack({ ...o, backlog: o.backlog });
  }

  /** One pass; returns how many alerts were queued or changed. */
  produce(): number {
    return this.produceSome(() => false).changed;
  }

  /**
   * A pass that stops after any alert once `enough` says so (each alert is rendered, which
   * reads its events); `more` says alerts are left for the next.
   */
  produceSome(enough: () => boolean): { changed: number; more: boolean } {
    const { deliveries, orgId } = this.o;
    if (this.held?.check()) return { changed: 0, more: false };
    let changed = 0;
    changed += this.requeueSummary();
    const unsent = this.o.outbox.waiting("alert", orgId);
    if (deliveries.backlog(orgId) + unsent > this.perMinute) changed += this.summarise();
    for (const item of deliveries.pending(orgId, this.perMinute)) {
      if (changed > 0 && enough()) return { changed, more: true };
      try {
        this.o.outbox.atomically(() => this.queue(item));
        this.failing.made(item.alert.id);
      } catch (error) {
        // The database's trouble (the disk, memory, a lock) is the pass's: tried again whole.
        if (fromStore(error)) throw error;
        if (!this.failing.failed(item, error)) continue;
      }
      changed++;
    }
    return { changed, more: false };
  }

  private queue(pending: PendingAlert): void {
    const { alert, delivery } = pending;
    const { orgId, channel, outbox, deliveries } = this.o;
    const now = this.o.now();
    const key = alertRef(alert);
    if (delivery?.viaSummary && delivery.rollupHour !== null) {
      this.rolledUpGrew(alert, delivery.rollupHour, now);
      return;
    }
    const message = this.o.render(alert);
    // Grown, its post gone from the outbox: posted already when Slack gave it a ts (the retention
    // prunes sent posts after 30 days, while the alert may still grow), else never sent.
    if (pending.kind !== "grown" || (!outbox.has(key) && !delivery?.ts)) {
      const hour = hourOf(now);
      const max = this.o.maxPerHour ?? 10;
      if (
        pending.kind === "new" &&
        budgetFor(alert, deliveries.postedSince(orgId, hour), max) === "rollup"
      ) {
        deliveries.markRolledUp(orgId, alert.id, channel, alert.revision, hour, now);
        this.queueRollup(hour, now);
        return;
      }
      deliveries.markQueued(orgId, alert.id, channel, alert.revision, now);
      this.post(alert, message, pending.attemptedAt, now);
      return;
    }
    deliveries.markRevision(orgId, alert.id, alert.revision);
    // Posted alone since it became high: the roll-up that counts it shows it as it is now too.
    if (delivery?.rollupHour != null) this.queueRollup(delivery.rollupHour, now, { grown: true });
    // Not sent yet: sent as it is now. Sent (or being sent): updated, and the thread told.
    const shown = { revision: alert.revision, severity: alert.severity };
    if (outbox.replacePending(key, message, shown)) return;
    queueAlertUpdate(this.messages, alert, message, now);
    queueGrowth(
      { messages: this.messages, joined: this.o.joined, mention: this.o.mention ?? here },
      alert,
      now,
    );
  }

  private post(alert: Alert, message: SlackMessage, attemptedAt: number | null, now: number) {
    const { orgId, channel, outbox } = this.o;
    const key = alertRef(alert);
    outbox.enqueue(
      {
        key,
        kind: "alert",
        method: "chat.postMessage",
        orgId,
        ref: key,
        to: { channel },
        payload: message,
        priority: alertPriority(alert.severity),
        // The severity it shows: a growth reply says when the alert became more severe than that.
        data: { revision: alert.revision, severity: alert.severity },
        ...(attemptedAt !== null ? { attemptedAt } : {}),
      },
      now,
    );
  }

  /**
   * High alerts always post alone: one counted in the hour's roll-up or a backlog's summary that
   * is high now (its group grew, or its person said "not me") gets its message of its own, once,
   * and the roll-up still counting it says so (a summary is never updated). False when it is not
   * high, or was counted in neither (its own message is queued already).
   */
  postAlone(alert: Alert, now: number = this.o.now()): boolean {
    const { orgId, channel, deliveries } = this.o;
    if (alert.orgId !== orgId || alert.severity !== "high") return false;
    const delivery = deliveries.get(orgId, alert.id);
    if (!delivery?.viaSummary) return false;
    if (!deliveries.markPostedAlone(orgId, alert.id, channel, alert.revision, now)) return false;
    this.post(alert, this.o.render(alert), null, now);
    if (delivery.rollupHour !== null) this.queueRollup(delivery.rollupHour, now, { grown: true });
    return true;
  }

  /**
   * An alert in a roll-up grew: its roll-up shows it as it is now (also after its hour). One that
   * became high is posted alone too (postAlone).
   */
  private rolledUpGrew(alert: Alert, hour: number, now: number): void {
    if (this.postAlone(alert, now)) return;
    this.o.deliveries.markRevision(this.o.orgId, alert.id, alert.revision);
    this.queueRollup(hour, now, { grown: true });
  }

  /** The hour's roll-up queued, or its update (see queueRollup). */
  private queueRollup(hour: number, now: number, o: { grown?: boolean } = {}): void {
    queueRollup(this.o, hour, now, o.grown ?? false);
  }

  /**
   * The backlog is larger than a minute of posting: the most severe go alone (every high one, up
   * to MAX_HIGH_ALONE, each reminded of if nobody handles it), the rest in one summary.
   */
  private summarise(): number {
    const backlog = this.o.deliveries
      .pending(this.o.orgId, 100_000)
      .filter((item) => item.kind === "new");
    const high = backlog.filter((item) => item.alert.severity === "high").length;
    const alone = Math.max(this.keep, Math.min(high, MAX_HIGH_ALONE));
    const rest = backlog.slice(alone).map((item) => item.alert);
    if (rest.length === 0) return 0;
    this.o.logger.warn(
      { summarised: rest.length, individually: alone },
      `${backlog.length} alerts waiting: posting one summary for ${rest.length} of them`,
    );
    this.o.outbox.atomically(() => {
      this.o.deliveries.markSummarised(
        this.o.orgId,
        rest.map((a) => a.id),
        this.o.channel,
        this.o.now(),
      );
      this.queueSummary(rest, undefined);
    });
    return rest.length;
  }

  /** A summary recorded before the outbox existed and never confirmed: queued, looked up first. */
  private requeueSummary(): number {
    // Every pass asks; while a summary of thousands waits for Slack, only its first id is read.
    const first = this.o.deliveries.firstInFlightSummarised(this.o.orgId);
    if (first === undefined || this.o.outbox.has(summaryKeyOf(this.o.orgId, first))) return 0;
    const alerts = this.o.deliveries.summaryInFlight(this.o.orgId);
    this.o.outbox.atomically(() => this.queueSummary(alerts, this.o.now()));
    return alerts.length;
  }

  private queueSummary(alerts: readonly Alert[], attemptedAt: number | undefined): void {
    const { orgId, channel } = this.o;
    this.o.outbox.enqueue(
      {
        key: summaryKey(orgId, alerts),
        kind: "summary",
        method: "chat.postMessage",
        orgId,
        to: { channel },
        payload: overflowSummary(alerts, orgId, this.o.organization?.()),
        priority: PRIORITY.summary,
        data: { alertIds: alerts.map((a) => a.id) },
        ...(attemptedAt !== undefined ? { attemptedAt } : {}),
      },
      this.o.now(),
    );
  }
}

const here = () => "<!here>";

/** A summary's outbox key: named after the first alert it counts. */
const summaryKeyOf = (orgId: string, firstAlertId: number) => `summary:${orgId}:${firstAlertId}`;
const summaryKey = (orgId: string, alerts: readonly Alert[]) =>
  summaryKeyOf(orgId, Math.min(...alerts.map((a) => a.id)));

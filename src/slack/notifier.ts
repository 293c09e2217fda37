import type { WebClient } from "@slack/web-api";
import type { Clock } from "../clock.js";
import type { Logger } from "../logger.js";
import { type Alert, AlertStore } from "../store/alerts.js";
import { DeliveryStore, type PendingAlert } from "../store/deliveries.js";
import { DigestRecordStore } from "../store/digests.js";
import { storeProblem } from "../store/errors.js";
import type { Db } from "../store/open.js";
import { ALERT_EVENT_TYPE, growthReply, type SlackMessage } from "./blocks/alert.js";
import { overflowSummary, SUMMARY_EVENT_TYPE } from "./blocks/summary.js";
import { classifySlackError, type SlackFailure } from "./client.js";
import { ChannelPacer } from "./pacer.js";

export interface NotifierOptions {
  readonly db: Db;
  readonly client: WebClient;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly orgId: string;
  readonly channel: string;
  /** The current message of an alert (its view changes with its status). */
  readonly render: (alert: Alert) => SlackMessage;
  /** Posts a channel takes per minute; a larger backlog is summarised. Default 60. */
  readonly perMinute?: number;
  /** Alerts still posted one by one when the backlog is summarised, most severe first. Default 10. */
  readonly keepIndividually?: number;
  /** The organization's name for the messages, when several are watched. */
  readonly organization?: () => string | undefined;
  /** Shared by the notifiers posting to the same channel; one of its own by default. */
  readonly pacer?: ChannelPacer;
}

export interface NotifierHealth {
  readonly pending: number;
  readonly lastError: {
    readonly code: string;
    readonly advice: string | null;
    readonly at: number;
  } | null;
  readonly pausedUntil: number | null;
}

export const DIGEST_EVENT_TYPE = "mcp_digest";

type MessageRecord = {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
};

const SPACING_MS = 1_000;
const SETUP_PAUSE_MS = 60_000;
const MAX_BACKOFF_MS = 60_000;

/**
 * Delivers the outbox to the alert channel: each alert once (recorded right after Slack accepts
 * it, and found again by its metadata after a crash), about one message a second, a summary when
 * the backlog outgrows a minute, an update and a thread reply when a posted group grows.
 */
export class Notifier {
  private readonly deliveries: DeliveryStore;
  private readonly alerts: AlertStore;
  private readonly digests: DigestRecordStore;
  private readonly log: Logger;
  private readonly perMinute: number;
  private readonly keep: number;
  private readonly pacer: ChannelPacer;
  private pausedUntil = 0;
  private failures = 0;
  private lastError: NotifierHealth["lastError"] = null;
  private reported = new Set<string>();

  constructor(private readonly o: NotifierOptions) {
    this.deliveries = new DeliveryStore(o.db);
    this.alerts = new AlertStore(o.db);
    this.digests = new DigestRecordStore(o.db);
    this.log = o.logger.child({ component: "notifier", channel: o.channel });
    this.perMinute = o.perMinute ?? 60;
    this.keep = o.keepIndividually ?? 10;
    this.pacer = o.pacer ?? new ChannelPacer(o.clock);
  }

  health(): NotifierHealth {
    const now = this.o.clock.now();
    return {
      pending: this.deliveries.waiting(this.o.orgId),
      lastError: this.lastError,
      pausedUntil: this.pausedUntil > now ? this.pausedUntil : null,
    };
  }

  /** Checks the bot token once at start: a bad one is logged with what to do, and shown in health. */
  async verify(): Promise<void> {
    try {
      const identity = await this.o.client.auth.test();
      this.log.info(
        { team: identity.team, botUserId: identity.user_id },
        `Slack: connected to ${identity.team ?? "the workspace"}`,
      );
    } catch (error) {
      this.failed(error);
    }
  }

  /** Drains until `signal` aborts, waking every second. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.drain(signal);
      const wait = Math.max(SPACING_MS, this.pausedUntil - this.o.clock.now());
      await this.o.clock.sleep(wait, signal);
    }
  }

  /** One pass over the outbox. Returns how many messages were posted or updated. */
  async drain(signal?: AbortSignal): Promise<number> {
    if (this.o.clock.now() < this.pausedUntil) return 0;
    let sent = 0;
    try {
      sent += await this.finishSummary();
      if (this.deliveries.backlog(this.o.orgId) > this.perMinute)
        sent += await this.summarise(signal);
      const work = this.deliveries.pending(this.o.orgId, this.perMinute);
      const history = work.some((item) => item.kind === "in-flight")
        ? await this.recentHistory()
        : [];
      for (const item of work) {
        if (signal?.aborted) break;
        sent += await this.deliverOrSkip(item, history);
      }
      if (!signal?.aborted) sent += await this.deliverDigests();
      // After a failure, recovery is proven by a call that works, not by having nothing to send.
      if (this.lastError && sent === 0) await this.o.client.auth.test();
      this.recovered();
    } catch (error) {
      this.failed(error);
    }
    return sent;
  }

  /**
   * One item; a refusal Slack will repeat forever (invalid_blocks, message_not_found, …) is set
   * aside for that item alone, while a rate limit, a setup problem or an outage stops the pass.
   */
  private async deliverOrSkip(
    item: PendingAlert,
    history: readonly MessageRecord[],
  ): Promise<number> {
    try {
      return await this.deliver(item, history);
    } catch (error) {
      const failure = classifySlackError(error);
      if (failure.kind !== "rejected") throw error;
      const { orgId } = this.o;
      if (item.kind === "grown") {
        // The message is gone or cannot be edited: the alert stays as posted.
        this.deliveries.markRevision(orgId, item.alert.id, item.alert.revision);
      } else {
        this.deliveries.markFailed(orgId, item.alert.id, failure.code);
      }
      this.log.error(
        { alertId: item.alert.id, code: failure.code },
        `Slack refused alert ${item.alert.id} (${failure.code}); it stays in the database and in /mcp-activity`,
      );
      return 0;
    }
  }

  /** The alert as it is now: a responder may have acknowledged it while this pass waited its turn. */
  private current(alert: Alert): Alert {
    return this.alerts.get(alert.id) ?? alert;
  }

  private async deliver(item: PendingAlert, history: readonly MessageRecord[]): Promise<number> {
    const { alert } = item;
    const { orgId, channel } = this.o;
    if (item.kind === "grown" && item.delivery?.ts) {
      const target = { channel: item.delivery.channel, ts: item.delivery.ts };
      await this.paced(() =>
        this.o.client.chat.update({ ...target, ...this.o.render(this.current(alert)) }),
      );
      await this.paced(() =>
        this.o.client.chat.postMessage({
          channel: target.channel,
          thread_ts: target.ts,
          ...growthReply(this.current(alert)),
          unfurl_links: false,
          unfurl_media: false,
        }),
      );
      this.deliveries.markRevision(orgId, alert.id, alert.revision);
      return 2;
    }
    if (item.kind === "in-flight") {
      const found = history.find(
        (m) =>
          m.metadata?.event_type === ALERT_EVENT_TYPE &&
          Number(m.metadata.event_payload?.alert_id) === alert.id,
      );
      if (found?.ts) {
        // The message shows the revision it was posted with; a later growth is still to be shown.
        const shown =
          Number(found.metadata?.event_payload?.revision) || (item.delivery?.revision ?? 1);
        this.log.info(
          { alertId: alert.id, ts: found.ts },
          "alert was already posted before a restart; recorded it",
        );
        this.deliveries.markDelivered(
          orgId,
          alert.id,
          channel,
          found.ts,
          shown,
          this.o.clock.now(),
        );
        return 0;
      }
    }
    const fresh = this.current(alert);
    this.deliveries.markAttempt(orgId, alert.id, channel, fresh.revision, this.o.clock.now());
    const result = await this.paced(() =>
      this.o.client.chat.postMessage({
        channel,
        ...this.o.render(fresh),
        unfurl_links: false,
        unfurl_media: false,
      }),
    );
    this.deliveries.markDelivered(
      orgId,
      alert.id,
      channel,
      String(result.ts),
      fresh.revision,
      this.o.clock.now(),
    );
    return 1;
  }

  /**
   * Due digests: the parent message (found again by its metadata after a crash), the sections
   * that did not fit as thread replies, then the chart in the thread. A failed chart upload is
   * logged and the digest still counts as posted.
   */
  private async deliverDigests(): Promise<number> {
    const { orgId, channel, client } = this.o;
    let sent = 0;
    for (const digest of this.digests.pending(orgId)) {
      let ts = digest.ts;
      if (!ts && digest.attemptedAt !== null) {
        const found = (await this.recentHistory()).find(
          (m) =>
            m.metadata?.event_type === DIGEST_EVENT_TYPE &&
            Number(m.metadata.event_payload?.digest_id) === digest.id,
        );
        if (found?.ts) {
          ts = found.ts;
          this.digests.markParent(digest.id, ts);
        }
      }
      if (!ts) {
        this.digests.markAttempt(digest.id, channel, this.o.clock.now());
        const metadata = {
          event_type: DIGEST_EVENT_TYPE,
          event_payload: { digest_id: digest.id, org_id: orgId, period_end: digest.periodEnd },
        };
        const result = await this.paced(() =>
          client.chat.postMessage({
            channel,
            text: digest.message.text,
            blocks: digest.message.blocks,
            metadata,
            unfurl_links: false,
            unfurl_media: false,
          }),
        );
        ts = String(result.ts);
        this.digests.markParent(digest.id, ts);
        sent++;
      }
      const thread = ts;
      for (const reply of digest.message.replies) {
        await this.paced(() =>
          client.chat.postMessage({
            channel,
            thread_ts: thread,
            text: "Digest, continued",
            blocks: reply,
            unfurl_links: false,
          }),
        );
        sent++;
      }
      const chart = digest.chart;
      if (chart) {
        try {
          await this.paced(() =>
            client.filesUploadV2({
              channel_id: channel,
              thread_ts: thread,
              file: chart,
              filename: "mcp-activity.png",
              title: "MCP calls per hour",
            }),
          );
        } catch (error) {
          this.log.warn(
            { code: classifySlackError(error).code },
            "the digest chart could not be uploaded; the text digest is posted",
          );
        }
      }
      this.digests.markPosted(digest.id, this.o.clock.now());
    }
    return sent;
  }

  /** The backlog is larger than a minute of posting: the most severe go alone, the rest in one summary. */
  private async summarise(signal?: AbortSignal): Promise<number> {
    const backlog = this.deliveries
      .pending(this.o.orgId, 100_000)
      .filter((item) => item.kind === "new");
    const rest = backlog.slice(this.keep).map((item) => item.alert);
    if (rest.length === 0 || signal?.aborted) return 0;
    this.log.warn(
      { summarised: rest.length, individually: this.keep },
      `${backlog.length} alerts waiting: posting one summary for ${rest.length} of them`,
    );
    this.deliveries.markSummaryAttempt(
      this.o.orgId,
      rest.map((a) => a.id),
      this.o.channel,
      this.o.clock.now(),
    );
    return this.postSummary(rest);
  }

  /** A summary whose post was cut short: find it in the channel, or post it again. */
  private async finishSummary(): Promise<number> {
    const alerts = this.deliveries.summaryInFlight(this.o.orgId);
    if (alerts.length === 0) return 0;
    const first = Math.min(...alerts.map((a) => a.id));
    const found = (await this.recentHistory()).find(
      (m) =>
        m.metadata?.event_type === SUMMARY_EVENT_TYPE &&
        Number(m.metadata.event_payload?.first_alert_id) === first,
    );
    if (found?.ts) {
      this.deliveries.markSummaryDelivered(this.o.orgId, found.ts, this.o.clock.now());
      return 0;
    }
    return this.postSummary(alerts);
  }

  private async postSummary(alerts: readonly Alert[]): Promise<number> {
    const message = overflowSummary(alerts, this.o.orgId, this.o.organization?.());
    const result = await this.paced(() =>
      this.o.client.chat.postMessage({ channel: this.o.channel, ...message }),
    );
    this.deliveries.markSummaryDelivered(this.o.orgId, String(result.ts), this.o.clock.now());
    return 1;
  }

  private async recentHistory(): Promise<MessageRecord[]> {
    const result = await this.o.client.conversations.history({
      channel: this.o.channel,
      limit: 200,
      include_all_metadata: true,
    });
    return (result.messages ?? []) as MessageRecord[];
  }

  /** At most one call a second to the channel. */
  private paced<T>(call: () => Promise<T>): Promise<T> {
    return this.pacer.paced(call);
  }

  private recovered(): void {
    if (this.lastError)
      this.log.info({ previous: this.lastError.code }, "Slack delivery works again");
    this.failures = 0;
    this.lastError = null;
    this.reported.clear();
  }

  /** Pauses this channel as the failure asks; says once per kind of trouble what to do. */
  private failed(error: unknown): void {
    const now = this.o.clock.now();
    const store = storeProblem(error);
    if (store) {
      // Not Slack's doing: the outbox could not be read or written.
      this.failures++;
      this.lastError = { code: store.code, advice: null, at: now };
      this.pausedUntil = now + Math.min(MAX_BACKOFF_MS, SPACING_MS * 2 ** this.failures);
      if (!this.reported.has(store.code)) {
        this.reported.add(store.code);
        this.log.error(
          { code: store.code },
          `alerts cannot be delivered: ${store.message}. They stay queued.`,
        );
      }
      return;
    }
    const failure: SlackFailure = classifySlackError(error);
    this.lastError = { code: failure.code, advice: failure.advice ?? null, at: now };
    this.failures++;
    const pause =
      failure.kind === "rate-limited"
        ? (failure.retryAfterMs ?? SPACING_MS)
        : failure.kind === "setup"
          ? SETUP_PAUSE_MS
          : Math.min(MAX_BACKOFF_MS, SPACING_MS * 2 ** this.failures);
    this.pausedUntil = now + pause;
    const line = failure.advice
      ? `Slack refused to post (${failure.code}): ${failure.advice}. Alerts stay queued.`
      : `Slack delivery failed (${failure.code}); retrying in ${Math.round(pause / 1000)} s. Alerts stay queued.`;
    if (this.reported.has(failure.code)) this.log.debug({ code: failure.code }, line);
    else {
      this.reported.add(failure.code);
      (failure.kind === "setup" ? this.log.error : this.log.warn).call(
        this.log,
        { code: failure.code, pauseMs: pause },
        line,
      );
    }
  }
}

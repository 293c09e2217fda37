import type { OutboxItem, OutboxPayload } from "../../domain/outbox.js";
import type { DeliveryStore } from "../../store/deliveries.js";
import type { OutboxStore } from "../../store/outbox.js";
import type { SlackMessage } from "../blocks/alert.js";
import { mrkdwn } from "../escape.js";
import type { KindHandler } from "../outbox/poster-options.js";
import { GROWTH_KIND } from "./alert-outbox.js";
import { queueAlertReply } from "./alert-thread.js";

/**
 * What the alert channel's messages record once Slack took them, or refused them. `plain`: an
 * alert's plain message now, sent in place of its post or update Slack refuses for its blocks.
 */
export function alertHandlers(
  deliveries: DeliveryStore,
  outbox: OutboxStore,
  plain: (orgId: string, alertId: number) => SlackMessage | undefined = () => undefined,
): Record<string, KindHandler> {
  /** The alerts a summary or roll-up counts learn where it is. */
  const summarised = (item: OutboxItem, sent: { channel: string; ts: string }, now: number) => {
    const ids = (item.data.alertIds as number[] | undefined) ?? [];
    deliveries.markSummaryDelivered(item.orgId ?? "", ids, sent, now);
  };
  // An update retried with backoff may come due after a newer one of the same message: sent
  // then, it would put back what that one replaced.
  const superseded = (item: OutboxItem) =>
    outbox.hasNewer(item) ? "a newer update of the message follows it, or was sent" : undefined;
  const ofItem = (item: OutboxItem) => ({
    orgId: item.orgId ?? "",
    alertId: Number(item.ref?.split(":").at(-1)),
  });
  /** A post keeps its own metadata (its nonce, the revision it records); an update has none. */
  const plainOf = (item: OutboxItem): OutboxPayload | undefined => {
    const { orgId, alertId } = ofItem(item);
    const message = plain(orgId, alertId);
    if (!message) return undefined;
    const { text, blocks } = message;
    return item.payload.metadata
      ? { text, blocks, metadata: item.payload.metadata }
      : { text, blocks };
  };
  return {
    alert: {
      plain: plainOf,
      delivered(item, sent, now) {
        const { orgId, alertId } = ofItem(item);
        const revision = Number(item.data.revision) || 1;
        deliveries.markDelivered(orgId, alertId, sent.channel, sent.ts, revision, now);
      },
      failed(item, reason, now) {
        const { orgId, alertId } = ofItem(item);
        deliveries.markFailed(orgId, alertId, reason, now);
      },
    },
    "alert-update": {
      stale: superseded,
      plain: plainOf,
      // Slack keeps the message as it was (too old to edit, say): what a click changed is shown in
      // its thread instead, as the update would have shown it. A growth alone is said there anyway.
      failed(item, reason, now) {
        const by = item.data.by;
        if (typeof by !== "string" || outbox.hasNewer(item)) return;
        const text = `⚠️ Slack would not update this alert's message (${mrkdwn(reason, 200)}), so it may not show what <@${mrkdwn(by, 40)}> did. The alert as it is now:`;
        const { orgId, alertId } = ofItem(item);
        const reply = { key: `alert-not-updated:${item.key}`, text, blocks: item.payload.blocks };
        queueAlertReply({ outbox, deliveries }, { orgId, id: alertId }, reply, now);
      },
    },
    "alert-reply": {},
    // One tried and retried (Slack down) cannot be replaced: a newer one is queued beside it, said
    // as the alert is then, and the older is not sent.
    [GROWTH_KIND]: {
      stale: (item) =>
        outbox.hasNewer(item)
          ? "a newer growth reply of the alert follows it, or was sent"
          : undefined,
    },
    summary: { delivered: summarised },
    rollup: { delivered: summarised },
    "rollup-update": { delivered: summarised, stale: superseded },
  };
}

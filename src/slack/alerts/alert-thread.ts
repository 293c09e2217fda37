import type { Alert } from "../../domain/alert.js";
import type { OutboxPayload, OutboxTarget } from "../../domain/outbox.js";
import type { DeliveryStore } from "../../store/deliveries.js";
import type { OutboxStore } from "../../store/outbox.js";
import type { SlackMessage } from "../blocks/alert.js";
import { PRIORITY } from "../outbox/priority.js";

export interface AlertMessages {
  readonly outbox: OutboxStore;
  readonly deliveries: DeliveryStore;
}

type AlertId = Pick<Alert, "orgId" | "id">;

/** What an alert's own message is queued as: its outbox key and ref. */
export const alertRef = (alert: AlertId): string => `alert:${alert.orgId}:${alert.id}`;

/**
 * Where an alert's message is: posted (its channel and ts), or still queued (its item, which a
 * reply or an update waits for). None when it was only counted in a summary or Slack refused it.
 */
export function alertMessage(
  m: AlertMessages,
  alert: AlertId,
): { channel: string; ts: string } | { channel: string; parentId: number } | undefined {
  const delivery = m.deliveries.get(alert.orgId, alert.id);
  if (delivery?.viaSummary) return undefined;
  if (delivery?.ts) return { channel: delivery.channel, ts: delivery.ts };
  const post = m.outbox.byRef(alertRef(alert), "alert");
  if (!post?.channel || post.state === "failed" || post.state === "dropped") return undefined;
  return { channel: post.channel, parentId: post.id };
}

/** A short mrkdwn message: its text, and one section block saying the same. */
export function note(text: string): SlackMessage {
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] };
}

const withBlocks = (
  message: SlackMessage,
  blocks: readonly unknown[] | undefined,
): OutboxPayload => (blocks ? { ...message, blocks: [...message.blocks, ...blocks] } : message);

/**
 * Queues a reply in an alert's thread (after its message, wherever that is). False when the
 * alert has no message of its own to reply to.
 */
export function queueAlertReply(
  m: AlertMessages,
  alert: AlertId,
  reply: {
    readonly key: string;
    readonly text: string;
    /** Shown under the text. */
    readonly blocks?: readonly unknown[];
    readonly kind?: string;
    readonly priority?: number;
    readonly notBefore?: number;
    readonly data?: Readonly<Record<string, unknown>>;
  },
  now: number,
): boolean {
  const target = alertMessage(m, alert);
  if (!target) return false;
  m.outbox.enqueue(
    {
      key: reply.key,
      kind: reply.kind ?? "alert-reply",
      method: "chat.postMessage",
      orgId: alert.orgId,
      ref: alertRef(alert),
      to: target,
      payload: withBlocks(note(reply.text), reply.blocks),
      priority: reply.priority ?? PRIORITY.reply,
      ...(reply.notBefore === undefined ? {} : { notBefore: reply.notBefore }),
      ...(reply.data === undefined ? {} : { data: reply.data }),
    },
    now,
  );
  return true;
}

/**
 * Whether the alert's message shows `message` already, or will (its newest update, else its post,
 * holds it and is sent or on its way): a click that changed nothing then needs no redraw. False
 * when that is not known (an update Slack refused, an item pruned).
 */
export function messageShows(m: AlertMessages, alert: AlertId, message: SlackMessage): boolean {
  const ref = alertRef(alert);
  const last = m.outbox.byRef(ref, "alert-update") ?? m.outbox.byRef(ref, "alert");
  if (!last || last.state === "failed" || last.state === "dropped") return false;
  return (
    last.payload.text === message.text &&
    JSON.stringify(last.payload.blocks) === JSON.stringify(message.blocks)
  );
}

/**
 * Shows an alert's message as it is now. A message not sent yet is sent as it is now instead; an
 * update still waiting is replaced; otherwise one more update is queued after the message.
 * Returns the item that shows it, if any. `by`: who changed it (a click), when they did.
 */
export function queueAlertUpdate(
  m: AlertMessages,
  alert: AlertId,
  message: SlackMessage,
  now: number,
  by?: string,
): number | undefined {
  const ref = alertRef(alert);
  if (m.outbox.replacePending(ref, message)) return m.outbox.byRef(ref, "alert")?.id;
  const data = by === undefined ? undefined : { by };
  const waiting = m.outbox.byRef(ref, "alert-update");
  if (waiting?.state === "pending" && m.outbox.replacePending(waiting.key, message, data))
    return waiting.id;
  const target = alertMessage(m, alert);
  if (!target) return undefined;
  const to: OutboxTarget = target;
  return m.outbox.enqueue(
    {
      key: `alert-update:${alert.orgId}:${alert.id}:${now}:${Math.random().toString(36).slice(2, 8)}`,
      kind: "alert-update",
      method: "chat.update",
      orgId: alert.orgId,
      ref,
      to,
      payload: { text: message.text, blocks: message.blocks },
      priority: PRIORITY.update,
      ...(data ? { data } : {}),
    },
    now,
  );
}

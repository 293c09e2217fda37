import type { Alert } from "../../domain/alert.js";
import type { SlackMessage } from "../blocks/alert.js";
import { alertPriority } from "../outbox/priority.js";
import { type AlertMessages, alertRef } from "./alert-thread.js";

/**
 * Queues a message of its own for an alert counted only in the hour's roll-up or a backlog's
 * summary (a "not me" raised it high, and high alerts always post alone), in the channel that
 * message went to: replies after it go in its thread. False when it has a message of its own.
 */
export function queueAlone(
  m: AlertMessages,
  alert: Alert,
  message: SlackMessage,
  now: number,
): boolean {
  const delivery = m.deliveries.get(alert.orgId, alert.id);
  if (!delivery?.viaSummary) return false;
  if (!m.deliveries.markAlone(alert.orgId, alert.id, alert.revision, now)) return false;
  const key = alertRef(alert);
  m.outbox.enqueue(
    {
      key,
      kind: "alert",
      method: "chat.postMessage",
      orgId: alert.orgId,
      ref: key,
      to: { channel: delivery.channel },
      payload: message,
      priority: alertPriority(alert.severity),
      data: { revision: alert.revision },
    },
    now,
  );
  return true;
}

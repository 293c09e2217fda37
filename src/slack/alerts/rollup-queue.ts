import type { DeliveryStore } from "../../store/deliveries.js";
import type { OutboxStore } from "../../store/outbox.js";
import { rollupMessage } from "../blocks/summary.js";
import { PRIORITY } from "../outbox/priority.js";

/**
 * The hour's roll-up: posted with the first alert past the budget, then updated in place with
 * each one after (an update not sent yet is replaced), until the hour ends, and as its alerts
 * grow (`grown`: never posted for that, should it be gone from the outbox).
 */
export function queueRollup(
  o: {
    readonly orgId: string;
    readonly channel: string;
    readonly outbox: OutboxStore;
    readonly deliveries: DeliveryStore;
    readonly maxPerHour?: number;
    readonly organization?: () => string | undefined;
  },
  hour: number,
  now: number,
  grown: boolean,
): void {
  const { orgId, channel, outbox, deliveries } = o;
  const alerts = deliveries.rolledUpIn(orgId, hour);
  const message = rollupMessage(alerts, {
    orgId,
    hour,
    maxPerHour: o.maxPerHour ?? 10,
    organization: o.organization?.(),
    postedAlone: new Set(deliveries.postedAloneIn(orgId, hour)),
  });
  const key = `rollup:${orgId}:${hour}`;
  // The alerts it counts, learning its ts (those posted alone since keep their own).
  const data = { alertIds: alerts.map((a) => a.id) };
  if (!outbox.has(key)) {
    if (grown) return;
    outbox.enqueue(
      {
        key,
        kind: "rollup",
        method: "chat.postMessage",
        orgId,
        ref: key,
        to: { channel },
        payload: message,
        priority: PRIORITY.summary,
        data,
      },
      now,
    );
    return;
  }
  if (outbox.replacePending(key, message, data)) return;
  const waiting = outbox.byRef(key, "rollup-update");
  if (waiting?.state === "pending" && outbox.replacePending(waiting.key, message, data)) return;
  const post = outbox.byRef(key, "rollup");
  if (!post || post.state === "failed" || post.state === "dropped") return;
  outbox.enqueue(
    {
      key: `${key}:update:${now}:${Math.random().toString(36).slice(2, 8)}`,
      kind: "rollup-update",
      method: "chat.update",
      orgId,
      ref: key,
      to: { channel, parentId: post.id },
      payload: { text: message.text, blocks: message.blocks },
      priority: PRIORITY.update,
      data,
    },
    now,
  );
}

import type { DigestRecord, DigestRecordStore } from "../store/digests.js";
import type { OutboxStore } from "../store/outbox.js";
import type { KindHandler } from "./outbox/poster-options.js";
import { PRIORITY } from "./outbox/priority.js";

const DIGEST_EVENT_TYPE = "mcp_digest";

const digestKey = (digest: Pick<DigestRecord, "id">) => `digest:${digest.id}`;

/** Drops the messages of a digest that waits, unsent (it was made by a clock that was ahead). */
export function unqueueDigest(outbox: OutboxStore, digestId: number, now: number): void {
  outbox.dropWaiting(
    digestKey({ id: digestId }),
    "made by a clock that was ahead: not its period's digest",
    now,
  );
}

/**
 * Withdraws a digest whose command was stopped before Slack took any of it: its messages dropped
 * and its record settled, so that no start of the bot posts it. Once its sending has begun it
 * stays queued (see OutboxStore.withdrawUnsent): its channel message posted (what is left of it
 * follows), or being sent, or sent with no answer (looked up before it is sent again).
 */
export function withdrawDigest(
  outbox: OutboxStore,
  records: DigestRecordStore,
  digestId: number,
  reason: string,
  now: number,
): "withdrawn" | "posted" | "being sent" {
  const ref = digestKey({ id: digestId });
  if (outbox.withdrawUnsent(ref, reason, now, () => records.markRefused(digestId, reason)))
    return "withdrawn";
  const parent = outbox.statesOf(ref).find((s) => s.kind === "digest");
  return parent?.state === "delivered" ? "posted" : "being sent";
}

/**
 * Queues a digest's messages: the parent (the channel message), the sections that did not fit in
 * it as thread replies, then the chart in the thread. The replies and the chart wait for the
 * parent; the digest counts as posted once the parent is.
 */
export function queueDigest(
  outbox: OutboxStore,
  digest: DigestRecord,
  channel: string,
  now: number,
  attemptedAt?: number,
): void {
  const ref = digestKey(digest);
  const parentId = outbox.enqueue(
    {
      key: ref,
      kind: "digest",
      method: "chat.postMessage",
      orgId: digest.orgId,
      ref,
      to: { channel },
      payload: {
        text: digest.message.text,
        blocks: digest.message.blocks,
        metadata: {
          event_type: DIGEST_EVENT_TYPE,
          event_payload: {
            digest_id: digest.id,
            org_id: digest.orgId,
            period_end: digest.periodEnd,
          },
        },
      },
      priority: PRIORITY.digest,
      data: { digestId: digest.id },
      ...(attemptedAt !== undefined ? { attemptedAt } : {}),
    },
    now,
  );
  digest.message.replies.forEach((blocks, i) => {
    outbox.enqueue(
      {
        key: `${ref}:reply:${i}`,
        kind: "digest-reply",
        method: "chat.postMessage",
        orgId: digest.orgId,
        ref,
        to: { channel, parentId },
        payload: { text: "Digest, continued", blocks },
        priority: PRIORITY.digest,
      },
      now,
    );
  });
  if (digest.chart)
    outbox.enqueue(
      {
        key: `${ref}:chart`,
        kind: "digest-chart",
        method: "files.upload",
        orgId: digest.orgId,
        ref,
        to: { channel, parentId },
        payload: { text: "", filename: "mcp-activity.png", title: "MCP calls by tool class" },
        file: digest.chart,
        priority: PRIORITY.digest,
      },
      now,
    );
}

/**
 * Digests recorded but not posted before the outbox existed: queued now (an attempt that may
 * have reached Slack is looked up first). One whose parent message was posted counts as posted;
 * one Slack refused for good is settled, not queued again (see digestHandlers).
 */
export function requeueDigests(
  outbox: OutboxStore,
  records: DigestRecordStore,
  orgId: string,
  channel: string,
  now: number,
): void {
  for (const digest of records.pending(orgId)) {
    if (outbox.has(digestKey(digest))) continue;
    outbox.atomically(() => {
      if (digest.ts) records.markPosted(digest.id, now);
      else queueDigest(outbox, digest, channel, now, digest.attemptedAt ?? undefined);
    });
  }
}

/**
 * The digest's record learns where its message is once Slack took the parent, or that Slack
 * refused it for good: settled either way, so that no later start queues it again.
 */
export function digestHandlers(records: DigestRecordStore): Record<string, KindHandler> {
  return {
    digest: {
      delivered(item, sent, now) {
        const id = Number(item.data.digestId);
        records.markParent(id, sent.channel, sent.ts);
        records.markPosted(id, now);
      },
      failed(item, reason) {
        records.markRefused(Number(item.data.digestId), reason);
      },
    },
    "digest-reply": {},
    "digest-chart": {},
  };
}

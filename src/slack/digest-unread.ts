import type { UnreadDigest } from "../domain/digest.js";
import type { OutboxStore } from "../store/outbox.js";
import { note } from "./alerts/alert-thread.js";
import { mrkdwn, slackDate } from "./escape.js";
import { PRIORITY } from "./outbox/priority.js";

/**
 * Where the notice goes and whose organization it is about: when several are watched, its name
 * (its id while unknown) and its place in /healthz's `organizations`.
 */
export interface UnreadTarget {
  readonly orgId: string;
  readonly channel: string;
  readonly organization: { readonly name: string; readonly index: number } | undefined;
}

/** What the channel reads in place of a digest the poller gave nothing to make it of. */
export function unreadText(digest: UnreadDigest, target: UnreadTarget): string {
  const org = target.organization;
  const id = mrkdwn(target.orgId, 200);
  // A name never known (the organizations API has not given it yet) is its id: once.
  const known = org !== undefined && org.name !== target.orgId;
  const name = known ? `*${mrkdwn(org.name, 200)}*` : id;
  // A name two organizations share is given with its id already ("Acme (id)").
  const withId = known && !org.name.endsWith(`(${target.orgId})`) ? `${name} (${id})` : name;
  const log =
    org === undefined ? "the Atlassian audit log" : `the Atlassian audit log of ${withId}`;
  const read = digest.partly ? "has been read only in part" : "has not been read";
  const see =
    org === undefined
      ? "`/healthz` (`poller.lastError`) or `/mcp-activity status`"
      : `\`/healthz\` (\`organizations[${org.index}].poller.lastError\`) or \`/mcp-activity status\` (under ${name})`;
  return [
    `⚠️ The ${digest.kind} digest due ${slackDate(digest.end)} cannot be made: ${log} ${read} since the first start.`,
    `The poller's last error: ${mrkdwn(digest.lastError, 1_500)}`,
    `See ${see}. Once the log is read, the summary of its history is posted, then the digests.`,
  ].join("\n");
}

/**
 * Queues the notice of a digest not made; its key names the period, so a restart that finds the
 * same period due queues nothing more.
 */
export function queueUnreadNotice(
  outbox: OutboxStore,
  target: UnreadTarget,
  digest: UnreadDigest,
  now: number,
): void {
  outbox.enqueue(
    {
      key: `notice:${target.orgId}:digest-unread:${digest.kind}:${digest.end}`,
      kind: "notice",
      method: "chat.postMessage",
      orgId: target.orgId,
      to: { channel: target.channel },
      payload: note(unreadText(digest, target)),
      priority: PRIORITY.reply,
    },
    now,
  );
}

import type { OutboxMethod, OutboxTarget } from "../domain/outbox.js";

/**
 * Messages are paced per destination and per kind of call: about one post a second per channel
 * (Slack's chat.postMessage limit), while updates and file uploads, limited apart, keep their own.
 */
const LANE: Record<OutboxMethod, string> = {
  "chat.postMessage": "",
  "chat.update": " update",
  "files.upload": " files",
  "views.publish": " home",
};

/** The destination an item is paced by: its channel (or user:U…) and its method's lane. */
export function destinationOf(to: OutboxTarget, method: OutboxMethod): string {
  return `${"channel" in to ? to.channel : `user:${to.user}`}${LANE[method]}`;
}

/** The destination of the files shared in a conversation (paced apart from its posts). */
export function filesTo(conversation: string): string {
  return `${conversation}${LANE["files.upload"]}`;
}

/** The conversation a destination is paced for: its channel (or user:U…), without the lane. */
export function conversationOf(destination: string): string {
  for (const lane of Object.values(LANE))
    if (lane !== "" && destination.endsWith(lane)) return destination.slice(0, -lane.length);
  return destination;
}

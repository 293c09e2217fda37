import type { OutboxItem } from "../../domain/outbox.js";
import { conversationOf } from "../../store/outbox-destination.js";
import type { PostKind } from "../setup-codes.js";

/**
 * A message as its trouble tells them apart: its conversation (the channel, whatever the lane it
 * is paced in), what it is there (a top-level post, a reply in a thread, or an update of a
 * message, which proves neither: a channel may refuse only top-level posts, or only replies), and
 * whether it goes to a person (Slack asks other scopes of a direct message than of a channel:
 * im:history, not channels:history).
 */
export interface Target {
  readonly destination: string;
  readonly post: PostKind | "update";
  readonly direct: boolean;
}

export function targetOf(
  item: Pick<OutboxItem, "destination" | "method" | "targetTs" | "parentId" | "userId">,
): Target {
  const post =
    item.method === "chat.update" || item.method === "views.publish"
      ? "update"
      : item.targetTs === null && item.parentId === null
        ? "top-level"
        : "reply";
  return { destination: conversationOf(item.destination), post, direct: item.userId !== null };
}

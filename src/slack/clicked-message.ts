import type { BlockAction } from "@slack/bolt";
import { z } from "zod";
import type { MessageAt } from "./blocks/row-ref.js";

const MessageContainer = z.object({
  type: z.literal("message"),
  channel_id: z.string().min(1),
  message_ts: z.string().min(1),
  is_ephemeral: z.boolean().optional(),
});

/**
 * The message a button was clicked in, when it can be one the app stored: none for the App Home
 * (a view) nor for an ephemeral reply, which the app never stores.
 */
export function clickedMessage(body: Pick<BlockAction, "container">): MessageAt | undefined {
  const parsed = MessageContainer.safeParse(body.container);
  if (!parsed.success || parsed.data.is_ephemeral) return undefined;
  return { channel: parsed.data.channel_id, ts: parsed.data.message_ts };
}

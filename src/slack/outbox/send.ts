import type { WebClient } from "@slack/web-api";
import type { OutboxItem, OutboxPayload } from "../../domain/outbox.js";
import { verbatim } from "../blocks/verbatim.js";

/** Where Slack put a message (for a file: the file's id in place of a ts). */
export interface Sent {
  readonly channel: string;
  readonly ts: string;
}

/** Metadata event type of messages that name no other. */
const OUTBOX_EVENT_TYPE = "mcp_activity_message";

/** The title a file is uploaded with: the item's number at the end, to find it again. */
export function fileTitle(item: Pick<OutboxItem, "id" | "payload">): string {
  return `${item.payload.title ?? item.payload.filename ?? "file"} · #${item.id}`;
}

/** The message's metadata with this attempt's nonce: only this app's message can carry it. */
function stamped(payload: OutboxPayload, item: OutboxItem, nonce: string) {
  const metadata = payload.metadata ?? { event_type: OUTBOX_EVENT_TYPE, event_payload: {} };
  return {
    event_type: metadata.event_type,
    event_payload: { ...metadata.event_payload, outbox_item: item.id, nonce },
  };
}

/** The channel of a direct message: opened once (conversations.open is idempotent), then known. */
export async function channelOf(
  client: WebClient,
  item: OutboxItem,
  opened: (channel: string) => void,
): Promise<string> {
  if (item.channel) return item.channel;
  if (!item.userId) throw new Error(`outbox item ${item.id} has no destination`);
  const dm = await client.conversations.open({ users: item.userId });
  const channel = dm.channel?.id;
  if (!channel) throw new Error("conversations.open gave no channel");
  opened(channel);
  return channel;
}

/** Performs one item's Web API calls. Throws what the client throws. */
export async function sendItem(
  client: WebClient,
  item: OutboxItem,
  nonce: string,
  opened: (channel: string) => void,
): Promise<Sent> {
  const { payload } = item;
  if (item.method === "views.publish") {
    if (!item.userId) throw new Error(`outbox item ${item.id} publishes no one's view`);
    await client.views.publish({
      user_id: item.userId,
      view: { type: "home", blocks: (payload.blocks ? verbatim(payload.blocks) : []) as never },
    });
    return { channel: `home:${item.userId}`, ts: "view" };
  }
  const channel = await channelOf(client, item, opened);
  const blocks = (payload.blocks && verbatim(payload.blocks)) as never;
  if (item.method === "chat.update") {
    if (!item.targetTs) throw new Error(`outbox item ${item.id} updates no message`);
    await client.chat.update({ channel, ts: item.targetTs, text: payload.text, blocks });
    return { channel, ts: item.targetTs };
  }
  if (item.method === "files.upload") {
    if (!item.file) throw new Error(`outbox item ${item.id} has no file`);
    const common = {
      channel_id: channel,
      file: item.file,
      filename: payload.filename ?? "file",
      title: fileTitle(item),
      ...(payload.text ? { initial_comment: payload.text } : {}),
    };
    const result = (await (item.targetTs
      ? client.filesUploadV2({ ...common, thread_ts: item.targetTs })
      : client.filesUploadV2(common))) as { files?: Array<{ files?: Array<{ id?: string }> }> };
    const id = result.files?.[0]?.files?.[0]?.id;
    return { channel, ts: `file:${id ?? "unknown"}` };
  }
  const result = await client.chat.postMessage({
    channel,
    ...(item.targetTs ? { thread_ts: item.targetTs } : {}),
    text: payload.text,
    blocks,
    metadata: stamped(payload, item, nonce),
    unfurl_links: false,
    unfurl_media: false,
  });
  return { channel: result.channel ?? channel, ts: String(result.ts) };
}

import type { WebClient } from "@slack/web-api";
import type { OutboxItem } from "../../domain/outbox.js";
import { BEFORE_THE_OUTBOX } from "../../store/outbox.js";
import { fileTitle, type Sent } from "./send.js";

/** Who this app is in Slack (auth.test): only its own messages count as sent by it. */
export interface SlackIdentity {
  readonly botId: string | undefined;
  readonly userId: string | undefined;
}

interface FoundMessage {
  ts?: string;
  user?: string;
  bot_id?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
  files?: Array<{ title?: string }>;
}

/** How far back before the first claim a message is looked for (the two clocks may differ). */
const CLOCK_SKEW_MS = 5 * 60_000;
/**
 * Pages of 200 looked through at most: the 10,000 messages since the first attempt. A busy
 * channel can have a thousand between a crash and the restart; past this, the item is sent again.
 */
const PAGES = 50;

const byThisApp = (m: FoundMessage, me: SlackIdentity) =>
  (me.botId !== undefined && m.bot_id === me.botId) ||
  (me.userId !== undefined && m.user === me.userId);

/**
 * Whether a message is this item's: posted by this app and carrying one of the item's nonces.
 * An item queued before nonces existed matches on its metadata's fields instead (still only
 * among this app's messages): a person can copy metadata, not post as the app.
 */
function isItem(m: FoundMessage, item: OutboxItem, me: SlackIdentity): boolean {
  if (!byThisApp(m, me)) return false;
  if (item.method === "files.upload") {
    const title = fileTitle(item);
    return (m.files ?? []).some((f) => f.title === title);
  }
  const payload = m.metadata?.event_payload ?? {};
  if (typeof payload.nonce === "string") return item.nonces.includes(payload.nonce);
  const wanted = item.payload.metadata;
  if (!wanted || !item.nonces.includes(BEFORE_THE_OUTBOX)) return false;
  return (
    m.metadata?.event_type === wanted.event_type &&
    Object.entries(wanted.event_payload).every(
      ([key, value]) => key === "revision" || String(payload[key]) === String(value),
    )
  );
}

/**
 * After an attempt whose outcome is unknown (a crash, a timeout, a cut connection): the message
 * Slack may have taken, found in the channel's history, the thread's replies or the direct
 * message's history. Updates are sent again instead (they change nothing the second time).
 * `answered`: told of each method Slack answered.
 */
export async function findSent(
  client: WebClient,
  item: OutboxItem,
  channel: string,
  me: SlackIdentity,
  answered: (method: string) => void,
): Promise<Sent | undefined> {
  if (item.method === "chat.update") return undefined;
  const since = (item.firstClaimedAt ?? item.createdAt) - CLOCK_SKEW_MS;
  const oldest = (since / 1000).toFixed(6);
  let cursor: string | undefined;
  for (let page = 0; page < PAGES; page++) {
    const common = { channel, oldest, limit: 200, include_all_metadata: true, cursor };
    const result = item.targetTs
      ? await client.conversations.replies({ ...common, ts: item.targetTs })
      : await client.conversations.history(common);
    answered(item.targetTs ? "conversations.replies" : "conversations.history");
    const messages = (result.messages ?? []) as FoundMessage[];
    const found = messages.find((m) => m.ts !== item.targetTs && isItem(m, item, me));
    if (found?.ts)
      return {
        channel,
        ts: item.method === "files.upload" ? `file:${found.ts}` : found.ts,
      };
    cursor = result.response_metadata?.next_cursor || undefined;
    if (!cursor) return undefined;
  }
  return undefined;
}

import type { OutboxItem } from "../../domain/outbox.js";
import type { Logger } from "../../logger.js";
import type { OutboxStore } from "../../store/outbox.js";
import type { KindHandler } from "./poster-options.js";

/**
 * Slack's words for a message refused for its blocks or its length: a plainer form of it may
 * pass, where any other refusal (a person gone, a channel closed) would meet it too.
 */
const FOR_ITS_BLOCKS = new Set([
  "invalid_blocks",
  "invalid_blocks_format",
  "msg_too_long",
  "msg_blocks_too_long",
]);

/** Set in an item's data once its plain form replaced what Slack refused: never replaced twice. */
const PLAIN_FORM = "plainForm";

/**
 * A message Slack refused for its blocks (`code`) whose kind has a plain form (an alert's post or
 * update): the same outbox item sends that form at once in its place, nothing of the refused one
 * being in Slack; it is looked up by its nonces as any other, so it is never posted twice. False
 * when the item is failed as usual: another refusal, no plain form, or the plain form refused.
 */
export function sendPlainInstead(
  o: {
    outbox: OutboxStore;
    kinds: Readonly<Record<string, KindHandler>>;
    log: Logger;
    owner: string;
    now: number;
  },
  item: OutboxItem,
  code: string,
): boolean {
  if (!FOR_ITS_BLOCKS.has(code) || item.data[PLAIN_FORM] === true) return false;
  const payload = o.kinds[item.kind]?.plain?.(item);
  if (!payload) return false;
  const data = { ...item.data, [PLAIN_FORM]: true };
  if (!o.outbox.sendInstead(item.id, o.owner, { payload, data, error: code, now: o.now }))
    return false;
  const name = item.ref?.replace(/^alert:[^:]*:/, "alert ") ?? `a ${item.kind}`;
  const what =
    item.method === "chat.update" ? `an update of ${name}'s message` : `${name}'s message`;
  o.log.error(
    { item: item.id, kind: item.kind, code },
    `Slack refused ${what} (${code}): its plain form (title, rule, buttons) is sent in its place; report this log line`,
  );
  return true;
}

/** The log's words for a message failed for good: refused by Slack, or given up. */
export function failedWords(
  item: Pick<OutboxItem, "kind">,
  code: string,
  next: { readonly refused: boolean; readonly reason: string },
): string {
  const what = `${/^[aeiou]/.test(item.kind) ? "an" : "a"} ${item.kind} message`;
  return next.refused
    ? `Slack refused ${what} for good (${code}); it is kept in the database with the reason`
    : `${what} was not sent: ${next.reason}`;
}

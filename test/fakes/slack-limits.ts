import { fail, type Params, type SlackResult } from "./slack-http.js";

/** Message limits the fake enforces (see the Limits table in the Slack reference). */
export interface SlackLimits {
  maxBlocks: number;
  /** Sum of the lengths of every `text` string inside the blocks (`msg_blocks_too_long`). */
  maxBlocksTextChars: number;
  /** Top-level `text` (`msg_too_long`). */
  maxTextChars: number;
}

export const DEFAULT_LIMITS: SlackLimits = {
  maxBlocks: 50,
  maxBlocksTextChars: 13_000,
  maxTextChars: 40_000,
};

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function textOf(value: unknown): string | undefined {
  return isObj(value) && typeof value.text === "string" ? value.text : undefined;
}

/** Checks one message's content the way chat.postMessage / chat.update do. */
export function checkContent(
  params: Params,
  limits: SlackLimits | false,
  requireContent: boolean,
): SlackResult | undefined {
  const { text, blocks, attachments, metadata } = params;
  if (blocks !== undefined && !Array.isArray(blocks)) return fail("invalid_blocks_format");
  if (attachments !== undefined && !Array.isArray(attachments)) return fail("invalid_attachments");
  if (metadata !== undefined && !validMetadata(metadata)) return fail("invalid_metadata_format");
  const hasText = typeof text === "string" && text.trim() !== "";
  if (requireContent && !hasText && !blocks?.length && !attachments?.length) return fail("no_text");
  if (!limits) return undefined;
  if (typeof text === "string" && text.length > limits.maxTextChars) return fail("msg_too_long");
  if (!blocks) return undefined;
  const errors = blockErrors(blocks, limits.maxBlocks);
  if (errors.length > 0)
    return fail("invalid_blocks", {
      errors,
      response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) },
    });
  if (countText(blocks) > limits.maxBlocksTextChars) return fail("msg_blocks_too_long");
  return undefined;
}

function validMetadata(metadata: unknown): boolean {
  return (
    isObj(metadata) &&
    typeof metadata.event_type === "string" &&
    metadata.event_type !== "" &&
    isObj(metadata.event_payload)
  );
}

function countText(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + countText(v), 0);
  if (!isObj(value)) return 0;
  let n = 0;
  for (const [key, v] of Object.entries(value))
    n += key === "text" && typeof v === "string" ? v.length : countText(v);
  return n;
}

function tooLong(value: string | undefined, max: number, pointer: string, out: string[]): void {
  if (value !== undefined && value.length > max)
    out.push(`must be less than ${max + 1} characters [json-pointer:${pointer}]`);
}

function tooMany(value: unknown, max: number, pointer: string, out: string[]): void {
  if (Array.isArray(value) && value.length > max)
    out.push(`must provide no more than ${max} items [json-pointer:${pointer}]`);
}

/** Slack's per-block checks, with its error wording and JSON pointers. */
export function blockErrors(blocks: unknown[], maxBlocks: number): string[] {
  const out: string[] = [];
  tooMany(blocks, maxBlocks, "/blocks", out);
  blocks.forEach((block, i) => {
    const at = `/blocks/${i}`;
    if (!isObj(block) || typeof block.type !== "string") {
      out.push(`missing required field: type [json-pointer:${at}]`);
      return;
    }
    if (typeof block.block_id === "string") tooLong(block.block_id, 255, `${at}/block_id`, out);
    switch (block.type) {
      case "section": {
        if (textOf(block.text) === undefined && !Array.isArray(block.fields))
          out.push(`must provide either text or fields [json-pointer:${at}]`);
        tooLong(textOf(block.text), 3000, `${at}/text/text`, out);
        tooMany(block.fields, 10, `${at}/fields`, out);
        if (Array.isArray(block.fields))
          block.fields.forEach((f, k) => {
            tooLong(textOf(f), 2000, `${at}/fields/${k}/text`, out);
          });
        if (isObj(block.accessory)) elementErrors(block.accessory, `${at}/accessory`, out);
        break;
      }
      case "header": {
        if (!isObj(block.text) || block.text.type !== "plain_text")
          out.push(`must be a plain_text text object [json-pointer:${at}/text]`);
        tooLong(textOf(block.text), 150, `${at}/text/text`, out);
        break;
      }
      case "context":
        tooMany(block.elements, 10, `${at}/elements`, out);
        if (Array.isArray(block.elements))
          block.elements.forEach((e, k) => {
            tooLong(textOf(e), 3000, `${at}/elements/${k}/text`, out);
          });
        break;
      case "actions":
        tooMany(block.elements, 25, `${at}/elements`, out);
        if (Array.isArray(block.elements))
          block.elements.forEach((e, k) => {
            if (isObj(e)) elementErrors(e, `${at}/elements/${k}`, out);
          });
        break;
    }
    compositionErrors(block, at, out);
  });
  return out;
}

function elementErrors(element: Obj, at: string, out: string[]): void {
  if (typeof element.action_id === "string")
    tooLong(element.action_id, 255, `${at}/action_id`, out);
  if (element.type !== "button") return;
  tooLong(textOf(element.text), 75, `${at}/text/text`, out);
  if (typeof element.value === "string") tooLong(element.value, 2000, `${at}/value`, out);
  if (typeof element.url === "string") tooLong(element.url, 3000, `${at}/url`, out);
}

/**
 * The composition objects wherever they sit in a block: a text object's text is 1 to 3000
 * characters (the block's own checks hold the shorter maxima), an option's text 75 and value 150,
 * an overflow menu up to 5 options, a confirm dialog's title 100, text (plain_text) 300, confirm
 * and deny 30.
 */
function compositionErrors(value: unknown, at: string, out: string[]): void {
  if (Array.isArray(value)) {
    value.forEach((v, k) => {
      compositionErrors(v, `${at}/${k}`, out);
    });
    return;
  }
  if (!isObj(value)) return;
  if (value.type === "plain_text" || value.type === "mrkdwn") {
    if (typeof value.text !== "string" || value.text === "")
      out.push(`must be more than 0 characters [json-pointer:${at}/text]`);
    return;
  }
  if (value.type === "overflow") tooMany(value.options, 5, `${at}/options`, out);
  if (Array.isArray(value.options))
    value.options.forEach((o, k) => {
      if (!isObj(o)) return;
      tooLong(textOf(o.text), 75, `${at}/options/${k}/text/text`, out);
      if (typeof o.value === "string") tooLong(o.value, 150, `${at}/options/${k}/value`, out);
    });
  // An element's confirm dialog (the dialog's own `confirm` is its button's text object).
  if (typeof value.type === "string" && isObj(value.confirm)) {
    const c = value.confirm;
    // "A plain_text text object": Slack shows mrkdwn here as typed, markup and all.
    if (isObj(c.text) && c.text.type !== "plain_text")
      out.push(`must be a plain_text text object [json-pointer:${at}/confirm/text]`);
    for (const [key, max] of [
      ["title", 100],
      ["text", 300],
      ["confirm", 30],
      ["deny", 30],
    ] as const)
      tooLong(textOf(c[key]), max, `${at}/confirm/${key}/text`, out);
  }
  for (const [key, v] of Object.entries(value)) compositionErrors(v, `${at}/${key}`, out);
}

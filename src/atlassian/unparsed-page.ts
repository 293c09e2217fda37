import { arrayItems, skipSpace, skipString, skipValue } from "./item-texts.js";
import { readTime } from "./time-value.js";

/**
 * What can be read of a stream page that JSON.parse refuses: one broken item (a raw control
 * character in a message, say) must not sink the page's other items, nor stop the stream there.
 */

/** An item of a page whose own JSON does not parse: quarantined as received, with why. */
export class UnreadableItem {
  constructor(
    readonly text: string,
    readonly error: string,
    readonly id: string | null,
  ) {}
}

/**
 * The page read item by item, each item that parses as itself and each that does not as an
 * UnreadableItem; `meta` and `links` when they parse. Undefined when the text cannot be split
 * into a whole object with a `data` list (an answer cut short, say).
 */
export function splitPage(
  text: string,
): { data: unknown[]; meta: unknown; links: unknown } | undefined {
  const page = objectMembers(text, skipSpace(text, 0));
  if (page?.end === undefined || skipSpace(text, page.end) !== text.length) return undefined;
  const data = page.members.findLast((m) => m.key === "data");
  const items = data && arrayItems(text, data.start);
  if (!items || items.end !== data.end) return undefined;
  return {
    data: items.texts.flatMap(readItem),
    meta: memberValue(text, page.members, "meta"),
    links: memberValue(text, page.members, "links"),
  };
}

/**
 * The item a page that cannot be split ends in (an answer cut short within it, say): its text as
 * far as it came, its id, and when it was processed, as far as those came whole; undefined when no
 * item begins in it. Asked alone, it is the only new item of its page. Never when it happened: the
 * stream is sorted by processedAt, and `time` may be hours before it.
 */
export function lastItem(
  text: string,
): { text: string; id: string | null; at: number | undefined } | undefined {
  const page = objectMembers(text, skipSpace(text, 0));
  const data = page?.members.find((m) => m.key === "data") ?? page?.cut;
  if (data?.key !== "data" || text.charCodeAt(data.start) !== OPEN_BRACKET) return undefined;
  let start = skipSpace(text, data.start + 1);
  for (;;) {
    const end = skipValue(text, start);
    const after = skipSpace(text, end);
    if (end >= text.length || text.charCodeAt(after) !== COMMA) break;
    start = skipSpace(text, after + 1);
  }
  const item = objectMembers(text, start);
  if (!item) return undefined;
  const id = memberValue(text, item.members, "id");
  const attributes = item.members.find((m) => m.key === "attributes");
  const times = attributes ? objectMembers(text, attributes.start)?.members : undefined;
  const reading = readTime(times && memberValue(text, times, "processedAt"));
  return {
    text: text.slice(start, item.end ?? text.length),
    id: typeof id === "string" ? id : null,
    at: "ms" in reading ? reading.ms : undefined,
  };
}

/** An item as it parses, else the items run together in it, each as it parses or unreadable. */
function readItem(text: string): unknown[] {
  try {
    return [JSON.parse(text) as unknown];
  } catch (error) {
    const pieces = itemPieces(text);
    if (pieces.length > 1) return pieces.flatMap(readItem);
    const members = objectMembers(text, 0)?.members ?? [];
    const id = memberValue(text, members, "id");
    return [
      new UnreadableItem(
        text,
        `does not parse as JSON (${(error as Error).message})`,
        typeof id === "string" ? id : null,
      ),
    ];
  }
}

/**
 * An item's text cut before each later item it holds: a quote the server did not escape pairs
 * with one in a later item, and the items between run together into one text. An item begins as
 * this one does, its first member's name with a string, then its second member as it is
 * (`{"id":"…","type":"events"`), after a `},`: in a string its quotes would be escaped.
 */
function itemPieces(text: string): string[] {
  const [first, second] = objectMembers(text, 0)?.members ?? [];
  if (!first || !second) return [text];
  const begins = String.raw`\{\s*"${escapeRegExp(first.key)}"\s*:\s*"(?:[^"\\]|\\.)*"\s*,\s*"${escapeRegExp(second.key)}"\s*:\s*${escapeRegExp(text.slice(second.start, second.end))}`;
  return text.split(new RegExp(String.raw`(?<=\})\s*,\s*(?=${begins})`));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

interface Member {
  readonly key: string;
  readonly start: number;
  readonly end: number;
}

/** The value of a member (the last of that name, as JSON.parse keeps), when it parses. */
function memberValue(text: string, members: readonly Member[], key: string): unknown {
  const member = members.findLast((m) => m.key === key);
  if (!member) return undefined;
  try {
    return JSON.parse(text.slice(member.start, member.end)) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The members of the object whose `{` is at `start`, each with where its value's text starts and
 * ends, as far as they came whole; `end` just after the `}`, undefined when the text ends or goes
 * wrong before it (an escaped key too: it may decode to any name), and then `cut` the member
 * whose value the text ended in. Undefined when no object begins at `start`.
 */
function objectMembers(
  text: string,
  start: number,
):
  | { members: Member[]; end: number | undefined; cut?: { key: string; start: number } }
  | undefined {
  if (text.charCodeAt(start) !== OPEN_BRACE) return undefined;
  const members: Member[] = [];
  let i = skipSpace(text, start + 1);
  if (text.charCodeAt(i) === CLOSE_BRACE) return { members, end: i + 1 };
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) return { members, end: undefined };
    const keyEnd = skipString(text, i);
    const key = text.slice(i + 1, keyEnd - 1);
    if (keyEnd >= text.length || key.includes("\\")) return { members, end: undefined };
    i = skipSpace(text, keyEnd);
    if (text.charCodeAt(i) !== COLON) return { members, end: undefined };
    const from = skipSpace(text, i + 1);
    const to = skipValue(text, from);
    if (to >= text.length) return { members, end: undefined, cut: { key, start: from } };
    if (to === from) return { members, end: undefined };
    members.push({ key, start: from, end: to });
    i = skipSpace(text, to);
    const c = text.charCodeAt(i);
    if (c === CLOSE_BRACE) return { members, end: i + 1 };
    if (c !== COMMA) return { members, end: undefined };
    i = skipSpace(text, i + 1);
  }
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;

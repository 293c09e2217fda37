/** Reading values: comma-separated items, Slack markup, people and sites. */
import { type Piece, QUOTE_CHARS, unescapeSlack } from "./lex.js";
import type { UserRef } from "./types.js";

export interface Item {
  readonly text: string;
  /** Some of it was quoted: take it literally. */
  readonly literal: boolean;
  /** It is exactly one Slack markup piece, e.g. `<@U123|alice>`. */
  readonly markup: boolean;
}

/** Slack's link markup as the text it stands for: the address of a mailto, a link's label. */
function unwrapMarkup(text: string): string {
  const m = /^<([^|>]*)(?:\|([^>]*))?>$/.exec(text);
  if (!m) return text;
  const target = m[1] ?? "";
  const label = m[2];
  if (target.toLowerCase().startsWith("mailto:")) return unescapeSlack(target.slice(7));
  if (/^https?:\/\//i.test(target)) return unescapeSlack(label || target);
  return text;
}

/** Slack's link markup anywhere in a text: an address or a link. */
const LINK_IN_TEXT = /<(mailto:|https?:\/\/)([^<>\s|]*)(?:\|([^<>]*))?>/gi;

/**
 * Quoted text with the links Slack made of what was typed as typed again: Slack escapes the
 * command's text whatever the quotes, so an address typed is `<mailto:a@b.c|a@b.c>`, a link typed
 * `<https://x.io>` and a host typed `<http://x.io|x.io>` (still escaped: `&amp;`). Markup Slack
 * would not make of typed text (a label other than its target) stays, as a mention does: the
 * canonical text of a query writes them so.
 */
function linksAsTyped(text: string): string {
  return text.replace(LINK_IN_TEXT, (link, scheme: string, target: string, label?: string) => {
    if (scheme.toLowerCase() === "mailto:")
      return label === undefined || label === target ? target : link;
    if (label === undefined) return `${scheme}${target}`;
    return label === target || label === `${scheme}${target}` ? label : link;
  });
}

/**
 * A piece as value text. Markup is read like quoted text: a link's label may hold quote and control
 * characters, which quoted text cannot, so they go (or become spaces) and the canonical text of
 * the query reads back the same.
 */
function pieceText(piece: Piece): string {
  if (piece.kind === "quoted") return unescapeSlack(linksAsTyped(piece.text));
  if (piece.kind !== "markup") return unescapeSlack(piece.text);
  const text = QUOTE_CHARS.reduce((t, q) => t.split(q).join(""), unwrapMarkup(piece.text));
  return text.replace(/\p{Cc}/gu, " ");
}

/** A value's items: split at unquoted commas when `split`, trimmed, empty ones dropped. */
export function items(pieces: readonly Piece[], split: boolean): Item[] {
  const out: Item[] = [];
  let current: Piece[] = [];
  const push = () => {
    const text = current.map(pieceText).join("").trim();
    const solid = current.filter((p) => p.text.trim() !== "");
    if (text !== "") {
      out.push({
        text,
        literal: current.some((p) => p.kind === "quoted"),
        markup: solid.length === 1 && solid[0]?.kind === "markup",
      });
    }
    current = [];
  };
  for (const piece of pieces) {
    if (piece.kind !== "plain" || !split) {
      current.push(piece);
      continue;
    }
    piece.text.split(",").forEach((part, index) => {
      if (index > 0) push();
      if (part !== "") current.push({ text: part, kind: "plain" });
    });
  }
  push();
  return out;
}

const MENTION = /^<@([A-Za-z0-9]+)(?:\|[^>]*)?>$/;

export function userRef(item: Item): UserRef {
  const mention = item.markup ? MENTION.exec(item.text) : null;
  if (mention?.[1]) return { kind: "slack", id: mention[1] };
  if (!item.literal && item.text.toLowerCase() === "me") return { kind: "me" };
  if (!item.literal && item.text.startsWith("@") && item.text.length > 1) {
    return { kind: "text", value: item.text.slice(1) };
  }
  return { kind: "text", value: item.text };
}

/** A site as its host: no scheme, path or port; a bare name is an atlassian.net site. */
export function siteHost(text: string): string {
  const host = text
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, "")
    .replace(/[/?#].*$/, "")
    .replace(/:\d*$/, "")
    .replace(/\.+$/, "");
  return host === "" || host.includes(".") ? host : `${host}.atlassian.net`;
}

export function sameUser(a: UserRef, b: UserRef): boolean {
  if (a.kind === "text" && b.kind === "text") return a.value === b.value;
  if (a.kind === "slack" && b.kind === "slack") return a.id === b.id;
  return a.kind === b.kind;
}

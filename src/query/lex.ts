/**
 * Splits `/mcp-activity` text into terms. A term is `key:value` or a free word; values and words
 * are made of pieces: plain text, "quoted" text (straight or Slack's smart quotes) and Slack
 * markup such as `<@U123|alice>` or `<mailto:a@b.c|a@b.c>`.
 *
 * Key rule: a term is a key attempt when it starts with an ASCII letter followed by letters, `_`
 * or `-`, then `:`. Exceptions, which stay free words: a URI scheme (`http:`, `https:`, `mailto:`)
 * and a word that is not one of QUERY_KEYS and whose colon starts `//` (`ftp://x`). `OPS-1:`,
 * `10:30`, `:x` and `"usr:bob"` (quoted) are free words too.
 */

import { QUERY_KEYS } from "./keys.js";

export type PieceKind = "plain" | "quoted" | "markup";

export interface Piece {
  readonly text: string;
  readonly kind: PieceKind;
}

export interface Term {
  /** The key as typed (not lower-cased), or null for a free word. */
  readonly key: string | null;
  readonly pieces: readonly Piece[];
  /** The term's text as typed, for messages. */
  readonly raw: string;
}

export type LexResult =
  | { readonly ok: true; readonly terms: readonly Term[] }
  | {
      readonly ok: false;
      readonly unclosed: { readonly key: string | null; readonly rest: string };
    };

/** Characters that open or close a quoted piece: straight and typographic double quotes. */
export const QUOTE_CHARS = ['"', "“", "”", "„"] as const;
const QUOTES = new Set<string>(QUOTE_CHARS);

const KEY = /([A-Za-z][A-Za-z_-]*):(\/\/)?/y;
const NOT_KEYS = new Set(["http", "https", "mailto"]);
const MARKUP = /<(?:@|#|!|mailto:|https?:\/\/)[^<>\s|]*(?:\|[^<>]*)?>/y;
const SPACE = /[\s\p{Cc}]/u;

function isSpace(ch: string): boolean {
  return SPACE.test(ch);
}

/** The key a term starting at `at` tries to give, and where its value starts; null for a word. */
function keyAt(text: string, at: number): { key: string; end: number } | null {
  KEY.lastIndex = at;
  const m = KEY.exec(text);
  const key = m?.[1];
  if (!m || key === undefined) return null;
  const lower = key.toLowerCase();
  if (NOT_KEYS.has(lower)) return null;
  if (m[2] !== undefined && !(QUERY_KEYS as readonly string[]).includes(lower)) return null;
  return { key, end: at + key.length + 1 };
}

/** Whether `word` would be read as a key attempt (`usr:bob`) rather than a free word. */
export function looksLikeKey(word: string): boolean {
  return keyAt(word, 0) !== null;
}

/** Undoes Slack's escaping of `&`, `<` and `>` in command text. */
export function unescapeSlack(text: string): string {
  return text.replace(/&(amp|lt|gt);/g, (_, name: string) =>
    name === "amp" ? "&" : name === "lt" ? "<" : ">",
  );
}

export function lex(text: string): LexResult {
  const terms: Term[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && isSpace(text[i] ?? "")) i++;
    if (i >= n) break;
    const start = i;
    const found = keyAt(text, i);
    const key = found?.key ?? null;
    if (found) i = found.end;
    const pieces: Piece[] = [];
    let plain = "";
    const flush = () => {
      if (plain !== "") pieces.push({ text: plain, kind: "plain" });
      plain = "";
    };
    while (i < n) {
      const ch = text[i] ?? "";
      if (isSpace(ch)) break;
      if (QUOTES.has(ch)) {
        let j = i + 1;
        while (j < n && !QUOTES.has(text[j] ?? "")) j++;
        if (j >= n) return { ok: false, unclosed: { key, rest: text.slice(i) } };
        flush();
        pieces.push({ text: text.slice(i + 1, j).replace(/\p{Cc}/gu, " "), kind: "quoted" });
        i = j + 1;
        continue;
      }
      if (ch === "<") {
        MARKUP.lastIndex = i;
        const markup = MARKUP.exec(text);
        if (markup) {
          flush();
          pieces.push({ text: markup[0], kind: "markup" });
          i = MARKUP.lastIndex;
          continue;
        }
      }
      plain += ch;
      i++;
    }
    flush();
    terms.push({ key, pieces, raw: text.slice(start, i) });
  }
  return { ok: true, terms };
}

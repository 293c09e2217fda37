/** A query back to canonical text, for the Show-more button and logs. */
import { DEFAULT_LIMIT, isQueryKey } from "./keys.js";
import { looksLikeKey, QUOTE_CHARS } from "./lex.js";
import { ME_WORD, TIME_WORD } from "./problems.js";
import type { Query, UserRef } from "./types.js";

/** Characters that make a value read differently unquoted: spaces, commas, Slack markup. */
const NEEDS_QUOTES = /[\s\p{Cc},<]/u;

/**
 * A value as query text: quoted when it would otherwise read differently (or `force`). Quote
 * characters cannot be written inside quotes, so they are dropped; parsed values never have them.
 */
function quoteValue(value: string, force = false): string {
  const clean = QUOTE_CHARS.reduce((t, q) => t.split(q).join(""), value);
  return clean !== "" && !force && !NEEDS_QUOTES.test(clean) ? clean : `"${clean}"`;
}

function userText(ref: UserRef): string {
  if (ref.kind === "me") return "me";
  if (ref.kind === "slack") return `<@${ref.id}>`;
  const v = ref.value;
  return quoteValue(v, v.toLowerCase() === "me" || v.startsWith("@"));
}

/**
 * The query as canonical text that parses back to it with the same `now` and time zone (a
 * relative `since:7d` moves with a later `now`: the buttons keep the answer's). Limitation: Slack's `&amp;`, `&lt;` and `&gt;` are
 * unescaped when parsing, so a value that literally contains one of them does not round-trip.
 */
export function describeQuery(q: Query): string {
  const parts: string[] = [];
  if (q.org !== undefined) parts.push(`org:${quoteValue(q.org)}`);
  for (const u of q.users) parts.push(`user:${userText(u)}`);
  const lists: [string, readonly string[]][] = [
    ["tool", q.tools],
    ["class", q.classes],
    ["product", q.products],
    ["site", q.sites],
    ["action", q.actions],
    ["ip", q.ips],
    ["country", q.countries],
    ["auth", q.auth],
    ["rule", q.rules],
    ["status", q.statuses],
  ];
  for (const [key, values] of lists) for (const v of values) parts.push(`${key}:${quoteValue(v)}`);
  parts.push(`since:${quoteValue(q.sinceLabel)}`);
  if (q.untilLabel !== undefined) parts.push(`until:${quoteValue(q.untilLabel)}`);
  if (q.limit !== DEFAULT_LIMIT) parts.push(`limit:${q.limit}`);
  if (q.format !== "table") parts.push(`format:${q.format}`);
  // Unquoted, a word like a key or a mention would be read as one, and a key's name or a time
  // or `me` alone would be answered as a missing colon or key (see strayWord).
  for (const w of q.words)
    parts.push(
      quoteValue(
        w,
        looksLikeKey(w) ||
          w.startsWith("@") ||
          isQueryKey(w.toLowerCase()) ||
          /^\d/.test(w) ||
          TIME_WORD.test(w) ||
          ME_WORD.test(w),
      ),
    );
  return parts.join(" ");
}

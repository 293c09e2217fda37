import { graphemes, headOf } from "../graphemes.js";
import { HIDDEN } from "../hidden-characters.js";
import { oneLine } from "../one-line.js";

/**
 * Slack mrkdwn escaping: every outside string (names, e-mails, tool names, titles, user input)
 * passes here before it goes into `mrkdwn` or `text`, so `<!channel>` cannot ping a channel and
 * `<https://evil|Jira>` cannot disguise a link (the ampersand goes first). Nor can it format:
 * `*`, `~` and `` ` `` become look-alikes, so does `_` where it could start or end italics (not
 * inside a word, as in an e-mail address), `#` cannot name a channel, `://` cannot start a link,
 * and a line break cannot start a new line of the message. Nor can it hide or reorder what it
 * says (HIDDEN, removed before the zero-width space that breaks `://` is put in).
 */
export function escapeMrkdwn(value: string): string {
  const escaped = value
    .replace(HIDDEN, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\*/g, "∗")
    .replace(/~/g, "∼")
    .replace(/`/g, "ˋ")
    .replace(/#/g, "＃")
    .replace(/:\/\//g, ":/\u200b/")
    .replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, "＿");
  return oneLine(escaped);
}

/**
 * Plain text cut to `max` characters (code points), with an ellipsis when cut, never inside what
 * shows as one character (see headOf); HIDDEN removed. For raw text only: escaped text goes to
 * `cutMrkdwn`, which keeps what escaping put in.
 */
export function truncate(value: string, max: number): string {
  const text = value.replace(HIDDEN, "");
  return Array.from(text).length <= max ? text : `${headOf(text, max - 1)}…`;
}

/**
 * Mrkdwn already escaped (the app's own text, outside strings in it escaped) cut to `max`
 * characters (code points), with an ellipsis when cut, never inside what shows as one character.
 * It only shortens: nothing is removed, so the zero-width space that breaks `://` stays, and an
 * entity (`&amp;`) cut short is left out.
 */
export function cutMrkdwn(escaped: string, max: number): string {
  if (Array.from(escaped).length <= max) return escaped;
  return `${headOf(escaped, max - 1).replace(/&[a-z]*$/, "")}…`;
}

/**
 * Escaped mrkdwn of at most `max` characters (UTF-16 units, so code points too): cut before
 * escaping, so no entity is split, and between graphemes, so no emoji is.
 */
export function mrkdwn(value: string, max: number): string {
  const escaped = escapeMrkdwn(value);
  if (escaped.length <= max) return escaped;
  const chars = graphemes(value);
  // The longest prefix whose escaped form and an ellipsis fit.
  let low = 0;
  let high = chars.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (escapeMrkdwn(chars.slice(0, mid).join("")).length + 1 <= max) low = mid;
    else high = mid - 1;
  }
  return `${escapeMrkdwn(chars.slice(0, low).join(""))}…`;
}

/** A date Slack shows in each reader's own time zone, with a UTC fallback. */
export function slackDate(ms: number, format = "{date_short_pretty} {time}"): string {
  const fallback = new Date(ms).toISOString().replace("T", " ").slice(0, 16);
  return `<!date^${Math.floor(ms / 1000)}^${format}|${fallback} UTC>`;
}

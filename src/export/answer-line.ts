/**
 * What a receiver (or a proxy in front of it) answered, as one short line for the log, /healthz
 * and `status`: a page's title or text, a JSON error on one line, a text's words. Pure.
 */

/** The longest line shown, in characters. */
const LINE_CHARS = 200;

/** `body` (its start, as read) as one line of at most LINE_CHARS; "" when it says nothing. */
export function answerLine(body: string, contentType: string | null): string {
  const text = body.trim();
  if (text === "") return "";
  const type = contentType?.toLowerCase() ?? "";
  const line =
    type.includes("html") || text.startsWith("<")
      ? pageLine(text)
      : type.includes("json") || /^[{[]/.test(text)
        ? jsonLine(text)
        : collapsed(text);
  const chars = [...line];
  return chars.length > LINE_CHARS ? `${chars.slice(0, LINE_CHARS - 1).join("")}…` : line;
}

/** A page's title, else its text: tags, comments, scripts and styles left out. */
function pageLine(page: string): string {
  const title = collapsed(entities(/<title[^>]*>([\s\S]*?)<\/title>/i.exec(page)?.[1] ?? ""));
  if (title !== "") return title;
  const text = page
    .replace(/<!--[\s\S]*?(-->|$)/g, " ")
    .replace(/<(script|style)\b[\s\S]*?(<\/\1\s*>|$)/gi, " ")
    .replace(/<[^>]*(>|$)/g, " ");
  return collapsed(entities(text));
}

/** A JSON body on one line; a body cut short (or not JSON after all) as text. */
function jsonLine(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return collapsed(text);
  }
}

function collapsed(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

const NAMED: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
};

/** The character references a page's text holds, as the characters they stand for. */
function entities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith("#")) {
      const code =
        name[1] === "x" || name[1] === "X"
          ? Number.parseInt(name.slice(2), 16)
          : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[name.toLowerCase()] ?? whole;
  });
}

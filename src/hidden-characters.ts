/**
 * What would make outside text read otherwise than it is, in Slack or on a terminal, removed:
 * - C0 and C1 control characters but tab and line feed;
 * - the bidirectional overrides, embeddings and isolates that reorder what follows them (an
 *   e-mail address shown backwards);
 * - what shows nothing: the zero-width space, the word joiner and invisible operators, the
 *   byte-order mark, the soft hyphen, the Mongolian vowel separator, the deprecated format
 *   characters; a zero-width joiner but inside an emoji (👩‍💻) or after a letter and its marks (a
 *   virama) of a script it shapes (Sinhala ශ්‍රී, Bengali র‍্যා, Hindi क्‍ष, Malayalam ന്‍), and a
 *   zero-width non-joiner but after such a letter (Persian, Hindi…); a script it shapes is any but
 *   Latin. Each look back starts at the joiner itself, so the removal stays linear.
 * The direction marks (LRM, RLM, ALM) stay: right-to-left scripts need them, and they move no
 * letter; `nameKey` leaves them out.
 */
export const HIDDEN =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are what is removed
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u180e\u200b\u202a-\u202e\u2060-\u206f\ufeff]|\u200d(?<!(?!\p{Script=Latin})\p{L}\p{M}*\u200d)(?:(?<!\p{Extended_Pictographic}[\ufe0f\u{1f3fb}-\u{1f3ff}]?\u200d)|(?!\p{Extended_Pictographic}))|\u200c(?<!(?!\p{Script=Latin})\p{L}\p{M}*\u200c)/gu;

/** The control characters of HIDDEN alone: C0 but tab and line feed, DEL, C1. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are what is removed
export const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** `text` without what HIDDEN names. */
export function withoutHidden(text: string): string {
  return text.replace(HIDDEN, "");
}

/**
 * What a name is compared by, to tell whether two accounts show as one name: the name without
 * anything invisible (direction marks and joiners too), in Unicode compatibility form, lower case,
 * its spaces as one.
 */
export function nameKey(name: string): string {
  return withoutHidden(name)
    .replace(/[\u061c\u200c-\u200f]/g, "")
    .normalize("NFKC")
    .toLowerCase()
    .replace(/\s+/gu, " ")
    .trim();
}

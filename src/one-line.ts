/**
 * Outside text kept on one line, as Slack shows it: each run of line breaks (CR, LF, the Unicode
 * line and paragraph separators) one space, so a title cannot pass for a line of its own.
 */
export function oneLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, " ");
}

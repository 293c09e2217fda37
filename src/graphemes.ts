const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/**
 * What a reader sees as one character each (grapheme clusters): a flag 🇫🇷, 👩‍💻, a letter and its
 * accents; so that text cut between two of them never shows half of one.
 */
export function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/**
 * The longest start of `text` made of whole graphemes and at most `max` code points: a limit
 * counted in code points is kept, whatever Slack or a terminal counts as one character.
 */
export function headOf(text: string, max: number): string {
  let kept = "";
  let count = 0;
  for (const { segment: grapheme } of segmenter.segment(text)) {
    count += Array.from(grapheme).length;
    if (count > max) break;
    kept += grapheme;
  }
  return kept;
}

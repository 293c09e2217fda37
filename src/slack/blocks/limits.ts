/** Block Kit's limits (characters unless said otherwise). */
export const LIMITS = {
  blocks: 50,
  sectionText: 3000,
  field: 2000,
  fields: 10,
  header: 150,
  contextElements: 10,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  /** Slack's undocumented ceiling near 13k for all blocks of a message; kept well below. */
  messageBlocks: 12_000,
  /** The notification `text`. */
  text: 3000,
} as const;

/**
 * Text within `max` characters, cut between lines (never inside an escape or a link), saying how
 * many lines it leaves out.
 */
export function fitLines(text: string, max: number = LIMITS.sectionText): string {
  if (text.length <= max) return text;
  const lines = text.split("\n");
  const room = max - 40; // for the line that says how many are left out
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    if (used + line.length + 1 > room) break;
    kept.push(line);
    used += line.length + 1;
  }
  if (kept.length === 0) {
    // One line longer than all the room: cut it, never inside an emoji, an escape or a link.
    const cut = (lines[0] ?? "").slice(0, room).replace(/[\ud800-\udbff]$/, "");
    kept.push(`${cut.replace(/&[a-z]*$|<[^>]*$/, "")}…`);
  }
  const left = lines.length - kept.length;
  return left === 0
    ? kept.join("\n")
    : `${kept.join("\n")}\n…and ${left} more ${left === 1 ? "line" : "lines"}`;
}

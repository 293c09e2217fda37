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

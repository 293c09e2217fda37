/** Days the weekly check reaches back: its week, and the day within which a missed run is made up. */
const CHECK_DAYS = 8;

/**
 * The warning at start when the weekly "acted as you" check is on with a retention shorter than its
 * week (RETENTION_DAYS may be 1): the check counts only the calls retention kept, and someone whose
 * kept calls fall under `minCalls` is not asked. Undefined when there is nothing to say.
 */
export function weeklyCheckWarning(retentionDays: number, checkOn: boolean): string | undefined {
  if (!checkOn || retentionDays >= CHECK_DAYS) return undefined;
  return `RETENTION_DAYS is ${retentionDays}, shorter than the ${CHECK_DAYS} days the weekly check (attestation in RULES_FILE) reaches back: its messages count only the calls retention kept of the week (they say so), and people whose kept calls fall under minCalls are not asked. Set RETENTION_DAYS to ${CHECK_DAYS} or more, or turn the check off.`;
}

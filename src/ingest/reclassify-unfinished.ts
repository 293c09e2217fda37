import { reclassifyRunning } from "../store/reclassify-lock.js";

/**
 * What `tools` and the bot's start say of an organization whose `reclassify` was stopped (or
 * crashed) before its end, or is `running`: until it ends, detection and queries see a mixed
 * classification.
 */
export function reclassifyStoppedLine(orgId: string, startedAt: number, running: boolean): string {
  if (running)
    return `${orgId}: a reclassify begun ${new Date(startedAt).toISOString()} is running: until it ends, stored events are classified partly as before it`;
  return `${orgId}: a reclassify begun ${new Date(startedAt).toISOString()} was stopped before the end: stored events are classified partly as before it and the personal baselines are not recorded again; run \`mcp-activity reclassify\` again (with the bot's RULES_FILE) to finish`;
}

/**
 * The line of each organization whose `reclassify` did not end (`unfinished`, from the store),
 * saying whether one runs now on the database at `databasePath`.
 */
export function unfinishedReclassifyLines(
  unfinished: ReadonlyArray<{ readonly orgId: string; readonly startedAt: number }>,
  databasePath: string,
): Array<{ orgId: string; line: string }> {
  const running = unfinished.length > 0 && reclassifyRunning(databasePath);
  return unfinished.map(({ orgId, startedAt }) => ({
    orgId,
    line: reclassifyStoppedLine(orgId, startedAt, running),
  }));
}

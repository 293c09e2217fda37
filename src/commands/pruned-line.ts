/**
 * Said by a command whose answer reaches back before `before`, whose events retention deleted:
 * not "nothing happened then".
 */
export function prunedLine(before: number): string {
  return `events before ${new Date(before).toISOString().slice(0, 16).replace("T", " ")} UTC were deleted by retention (RETENTION_DAYS): only what was kept of that time is counted`;
}

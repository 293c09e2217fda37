/**
 * Said by a command whose answer reaches back before `before`, whose events retention deleted:
 * not "nothing happened then".
 */
export function prunedLine(before: number): string {
  return `events before ${new Date(before).toISOString().slice(0, 16).replace("T", " ")} UTC were deleted by retention (RETENTION_DAYS): what is counted of that time is what was kept (the events of alerts, and late ones)`;
}

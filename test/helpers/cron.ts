/**
 * A daily 6-field cron expression (with seconds) for the moment `ms`, in UTC: a digest due a few
 * seconds from now, once, as DIGEST_CRON takes it (runs at least 4 hours apart).
 */
export function cronAt(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCSeconds()} ${d.getUTCMinutes()} ${d.getUTCHours()} * * *`;
}

import { notWeekly } from "../cron-runs.js";

/**
 * Why `attestation.cron` does not suit the weekly check; undefined when it runs once a week. The
 * check asks each person about the week before each run, so a cron that runs daily asks everyone
 * every day.
 */
export function weeklyCronProblem(cron: string): string | undefined {
  const gap = notWeekly(cron);
  return gap === undefined
    ? undefined
    : `it runs ${gap} after a run, not once a week: the check asks each person once a week about the week before it, so give a weekly time such as "0 10 * * MON" (Mondays at 10:00)`;
}

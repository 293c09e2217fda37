import type { Logger } from "../logger.js";
import type { Repositories } from "../store/repositories.js";
import { DAY } from "../time-units.js";
import { retentionCut } from "./cut.js";

/**
 * Where an organization's events are cut (see retentionCut): for one the bot has polled, watched
 * or not (left out of ATLASSIAN_ORG_ID, its poll position kept for when it is watched again), no
 * later than RETENTION_DAYS before what its rules still have to judge.
 */
export function organizationCut(
  stores: Pick<Repositories, "pollStates" | "retention">,
  org: string,
  now: number,
  retentionDays: number,
): number {
  const state = stores.pollStates.get(org);
  if (state === undefined) return retentionCut(now, retentionDays);
  return retentionCut(now, retentionDays, {
    readThrough: stores.pollStates.readThroughAt(org),
    readBefore: state.lastProcessedAt,
    unjudged: stores.retention.unjudgedFrom(org),
  });
}

/** Says that the organization's events from `cut` on are kept past the retention, and why. */
export function warnHeldBack(
  logger: Logger,
  org: string,
  cut: number,
  retentionDays: number,
): void {
  const from = new Date(cut + retentionDays * DAY).toISOString();
  logger.warn(
    { orgId: org, keptFrom: new Date(cut).toISOString() },
    `retention: kept events older than ${retentionDays} days, from ${new Date(cut).toISOString()} on: the rules still have to judge what the audit log holds from ${from} on against them (after an outage, or while the organization is left out of ATLASSIAN_ORG_ID; see /healthz)`,
  );
}

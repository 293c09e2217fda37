import type { HistoryStop } from "../domain/status.js";
import type { Repositories } from "../store/repositories.js";
import type { AheadOfClock } from "./ahead-of-clock.js";
import type { PollFailures, Working } from "./poll-failures.js";
import { lagSeconds } from "./poll-position.js";
import type { PollerHealth } from "./poller-options.js";
import type { ProgressClock } from "./progress-clock.js";
import type { QuarantineShare } from "./quarantine-share.js";

/** What a poller's health is read from, as of `now`. */
export interface HealthParts {
  readonly orgId: string;
  readonly now: number;
  /** The clock's monotonic reading with `now` (monotonicNow). */
  readonly monotonic: number;
  /** No progress for this long makes the poller unhealthy. */
  readonly staleMs: number;
  readonly stores: Pick<Repositories, "events" | "pollStates" | "quarantine">;
  readonly progressed: ProgressClock;
  /** The newest processing time stored, as the lag reads it (see lagSeconds). */
  readonly processed: AheadOfClock;
  readonly failures: PollFailures;
  readonly share: QuarantineShare;
  readonly mcpActionKeys: readonly string[];
  /** What is waiting on the API, if anything: past `staleMs` it is the reason shown. */
  readonly working: Working;
}

/**
 * What /healthz and `status` say of a poller: unhealthy while the key is refused or the
 * organization not found, after `staleMs` without progress, or while most of what the polls read
 * goes to the quarantine; the reason under `lastError`.
 */
export function pollerHealth(p: HealthParts): PollerHealth {
  const { orgId, now, stores, failures, share } = p;
  const counts = stores.events.counts(orgId);
  const { at: progress, stale } = p.progressed.latest(now, p.monotonic, p.staleMs);
  const { keyRejected, orgNotFound } = failures;
  return {
    healthy: !keyRejected && !orgNotFound && !stale && share.lastError === null,
    lastSuccessAt: p.progressed.lastSuccessAt,
    lagSeconds: lagSeconds(stores.pollStates.get(orgId), now, {
      clock: p.processed,
      monotonic: p.monotonic,
    }),
    eventsStored: counts.events,
    mcpEventsStored: counts.mcp,
    quarantined: stores.quarantine.countFor(orgId),
    mcpActionKeys: p.mcpActionKeys,
    keyRejected,
    orgNotFound,
    lastError: failures.shown(now, progress, stale, p.working) ?? share.lastError,
    readSinceFailure: failures.readSinceFailure,
  };
}

/**
 * What keeps the audit log from being read until a setting is fixed (the key refused, the
 * organization not found); null when nothing does, and polls that fail otherwise go on reading.
 */
export function readingStopped(
  health: Pick<PollerHealth, "keyRejected" | "orgNotFound">,
): HistoryStop | null {
  if (health.keyRejected) return "apiKeyRejected";
  if (health.orgNotFound) return "orgNotFound";
  return null;
}

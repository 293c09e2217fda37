import type { UnreadDigest } from "../domain/digest.js";
import type { PollerHealth } from "../ingest/poller-options.js";
import type { Logger } from "../logger.js";
import type { PollState } from "../store/poll-state.js";
import type { ComposeDeps } from "./compose.js";

/**
 * Whether the poller fails to read the audit log: unhealthy (a refused key, no such organization,
 * no progress for three intervals), or no page came in since its last failure. Not a failure it
 * read on after (a 500 between two pages of a long backfill), whatever the clock did meanwhile.
 */
export function pollerFails(h: Pick<PollerHealth, "healthy" | "readSinceFailure">): boolean {
  return !h.healthy || !h.readSinceFailure;
}

export interface NotReadDeps {
  readonly logger: Logger;
  readonly health: ComposeDeps["health"];
  readonly unread?: (digest: UnreadDigest, now: number) => void;
  readonly pollerFailing?: () => boolean;
}

/**
 * Says why a digest due while the history is not read is not posted: it is being read (its
 * summary follows), or the poller fails (a refused key, another organization's id). Then the
 * channel is told too: nothing else would reach it, and its silence would read as a quiet
 * organization. Called once per period by the scheduler.
 */
export function notRead(
  deps: NotReadDeps,
  kind: UnreadDigest["kind"],
  end: number,
  state: PollState | undefined,
  now: number,
): void {
  const fields = { kind, end: new Date(end).toISOString() };
  const { lastError } = deps.health();
  // A failure the poller reads on after (a 500, a network blip) is no reason to alarm anyone.
  if (lastError === null || deps.pollerFailing?.() === false) {
    deps.logger.info(
      fields,
      `the ${kind} digest due now is not posted: the history is still being read, and its summary follows once it is`,
    );
    return;
  }
  const partly = (state?.lastProcessedAt ?? null) !== null;
  deps.logger.warn(
    fields,
    `the ${kind} digest due now is not posted: the audit log has not been read ${partly ? "to its end " : ""}since the first start, and the poller fails: ${lastError}`,
  );
  deps.unread?.({ kind, end, lastError, partly }, now);
}

import type { Poller } from "../ingest/poller.js";
import type { SlackPoster } from "../slack/outbox/poster.js";
import { deliveryProblem } from "../slack/outbox/trouble.js";
import type { Worker } from "./worker.js";

/**
 * The poller as a worker. Its loop is its own (each poll reads to the end of the stream, and it
 * backs off on its own terms); its health says the same as every worker's.
 */
export function pollerWorker(poller: Poller, orgId: string): Worker {
  return {
    name: "poller",
    orgId,
    run: (signal) => poller.run(signal),
    health: () => {
      const h = poller.health();
      return {
        name: "poller",
        orgId,
        ok: h.healthy,
        lastPassAt: h.lastSuccessAt,
        lastError: h.lastError && { message: h.lastError.message, at: h.lastError.at },
      };
    },
  };
}

/**
 * The outbox's sender as a worker: its loop wakes when something is queued. It is failing only
 * for what the operator must fix (deliveryProblem: a setup error, or Slack out of reach while
 * messages wait); a rate limit or a retry is its ordinary work.
 */
export function posterWorker(
  poster: SlackPoster,
  waiting: { oldestPendingAt: () => number | null; now: () => number },
): Worker {
  return {
    name: "outbox",
    run: (signal) => poster.run(signal),
    health: () => {
      const { lastError } = poster.health();
      // The outbox is read only while delivery fails: a healthy scrape costs no query more.
      const problem =
        lastError === null
          ? null
          : deliveryProblem(lastError, waiting.oldestPendingAt(), waiting.now());
      return {
        name: "outbox",
        ok: problem === null,
        lastPassAt: null,
        lastError: problem !== null && lastError ? { message: problem, at: lastError.at } : null,
      };
    },
  };
}

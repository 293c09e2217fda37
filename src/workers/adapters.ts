import { type RulesFailure, rulesProblem } from "../detect/rules-failure.js";
import type { Poller } from "../ingest/poller.js";
import type { SlackPoster } from "../slack/outbox/poster.js";
import { deliveryProblem } from "../slack/outbox/stalled.js";
import { cannotPostLine, type MissingScope } from "../slack/scopes.js";
import { codeProblem } from "../store/errors.js";
import type { Worker } from "./worker.js";

/**
 * The poller, with the rules it runs, as a worker. Its loop is its own (each poll reads to the
 * end of the stream, and it backs off on its own terms); it is failing while the poller is
 * unhealthy, a poll cannot write the database or the rules cannot run, as /healthz tells them.
 */
export function pollerWorker(
  poller: Poller,
  rulesFailure: () => RulesFailure | null,
  orgId: string,
): Worker {
  return {
    name: "poller",
    orgId,
    run: (signal) => poller.run(signal),
    health: () => {
      const h = poller.health();
      const database = h.lastError?.kind === "database";
      // A poll that cannot write the database fails it at once, as /healthz says under `database`;
      // another failed poll only once the poller is unhealthy (retried, it is its ordinary work).
      const polling = h.healthy && !database;
      const rules = rulesFailure();
      // A poll that failed once, the poller still healthy, is not why it fails: the rules are.
      const failing = polling && rules ? { ...rules, message: rulesProblem(rules) } : null;
      return {
        name: "poller",
        orgId,
        ok: polling && rules === null,
        lastPassAt: h.lastSuccessAt,
        lastError:
          failing ??
          (h.lastError && {
            message: h.lastError.message,
            at: h.lastError.at,
            ...(database ? { kind: "database" as const } : {}),
          }),
      };
    },
  };
}

/**
 * The outbox's sender as a worker: its loop wakes when something is queued. It is failing only
 * for what the operator must fix, as /healthz tells it: a setup error, Slack out of reach while
 * messages wait (deliveryProblem), chat:write missing, or the database it records in (a full
 * disk: of kind `database`, so /healthz says it there); a rate limit or a retry is its ordinary
 * work.
 */
export function posterWorker(
  poster: SlackPoster,
  o: {
    oldestPendingAt: () => number | null;
    now: () => number;
    /** The scopes of manifest.yml the Slack app lacks; undefined while Slack has not said. */
    missingScopes: () => readonly MissingScope[] | undefined;
  },
): Worker {
  return {
    name: "outbox",
    run: (signal) => poster.run(signal),
    health: () => {
      const { lastError } = poster.health();
      const database = lastError && codeProblem(lastError.code);
      // The outbox is read only while delivery fails: a healthy scrape costs no query more.
      const problem =
        (lastError && deliveryProblem(lastError, o.oldestPendingAt(), o.now())) ??
        cannotPostLine(o.missingScopes());
      const failure = database
        ? { message: database.message, kind: "database" as const }
        : problem && { message: problem };
      return {
        name: "outbox",
        ok: !failure,
        lastPassAt: null,
        lastError: failure ? { ...failure, at: lastError?.at ?? o.now() } : null,
      };
    },
  };
}

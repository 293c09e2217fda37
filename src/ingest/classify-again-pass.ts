import { setImmediate } from "node:timers/promises";
import type { Logger } from "../logger.js";
import type { ClassifyAgainWork } from "../store/classify-again.js";
import type { Repositories } from "../store/repositories.js";
import type { McpCatalog } from "./classify.js";
import { type ClassifyAgainStores, classifyChunk } from "./new-mcp-keys.js";

export interface ClassifyAgainPassOptions {
  readonly orgId: string;
  readonly stores: ClassifyAgainStores & Pick<Repositories, "writeTransaction">;
  readonly log: Logger;
  /** Now, read for each chunk: the hours of the personal baselines it keeps. */
  readonly now: () => number;
  /** The seq range a chunk looks through, and the most events it rewrites (see classifyChunk). */
  readonly chunk?: { readonly seqs: number; readonly events: number };
  /** Told after a chunk that queued events for the rules. */
  readonly onQueued?: () => void;
}

/**
 * Works through what classify_again holds for the organization (actions newly listed as MCP), a
 * chunk at a time, each in a write transaction of its own, giving the event loop back between
 * chunks; `signal` stops it between two, and the next pass (after a restart too) goes on from the
 * position kept. Says when an action's events are all looked through, and what became of them.
 */
export async function classifyAgainPass(
  o: ClassifyAgainPassOptions,
  catalog: McpCatalog,
  signal?: AbortSignal,
): Promise<void> {
  for (const pending of o.stores.classifyAgain.pending(o.orgId)) {
    let work: ClassifyAgainWork = pending;
    if (work.afterSeq > 0)
      o.log.info(
        { action: work.action, afterSeq: work.afterSeq, untilSeq: work.untilSeq },
        `going on classifying the stored events under ${work.action} again, after seq ${work.afterSeq}`,
      );
    for (;;) {
      if (signal?.aborted) return;
      const step = o.stores.writeTransaction(() =>
        classifyChunk(o.stores, work, catalog, o.now(), o.chunk),
      );
      if (step.work.queued > work.queued) o.onQueued?.();
      work = step.work;
      if (step.done) break;
      await setImmediate();
    }
    o.log.warn(
      { action: work.action, rows: work.rows, nowMcp: work.nowMcp, queued: work.queued },
      `the stored events under ${work.action} (newly listed as MCP) are classified again: ${work.nowMcp} became MCP calls, ${work.queued} of them (stored live) queued to be judged by the rules`,
    );
  }
}

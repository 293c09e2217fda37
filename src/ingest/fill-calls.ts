import { setImmediate } from "node:timers/promises";
import type { Logger } from "../logger.js";
import type { Repositories } from "../store/repositories.js";
import type { ToolCatalogue } from "./tools.js";

export interface FillCallsOptions {
  readonly orgId: string;
  readonly stores: Pick<Repositories, "unfilledCalls" | "writeTransaction">;
  readonly log: Logger;
  /** A monotonic clock in ms: the pass stops for this poll once it has run `budgetMs`. */
  readonly elapsed: () => number;
  /** Calls a chunk stores, each chunk in a write transaction of its own. */
  readonly chunk?: number;
  readonly budgetMs?: number;
  /** The tool catalogue the bot classifies with (the rules file's tools with the shipped ones). */
  readonly tools?: ToolCatalogue;
}

/** ~35 µs a call: a chunk holds the event loop ~10 ms. */
const CHUNK = 250;
/** A poll's share: a million calls are stored over a few polls, none delayed long. */
const BUDGET_MS = 2_000;

/**
 * Stores the operation and guessed flag of the organization's MCP calls stored before those had
 * columns (see UnfilledCallsStore), after each poll: a chunk at a time, giving the event loop back
 * between chunks, for at most `budgetMs` a poll; the next poll (after a restart too) goes on with
 * what is left. Says once when it begins, and when none are left.
 */
export class CallFiller {
  private told = false;

  constructor(private readonly o: FillCallsOptions) {}

  async pass(signal?: AbortSignal): Promise<void> {
    const { o } = this;
    const { unfilledCalls, writeTransaction } = o.stores;
    if (!unfilledCalls.any(o.orgId)) return;
    if (!this.told) {
      const left = unfilledCalls.count(o.orgId);
      o.log.info(
        { calls: left },
        `storing the operation and guessed flag of ${left} MCP calls stored before they had columns, in the background after each poll: until then the digest, the Home, \`tool:\` and the CSV name a wrapper's call by the wrapper alone`,
      );
      this.told = true;
    }
    const size = o.chunk ?? CHUNK;
    const began = o.elapsed();
    let afterSeq = 0;
    for (;;) {
      if (signal?.aborted) return;
      const step = writeTransaction(() =>
        unfilledCalls.fillChunk(o.orgId, afterSeq, size, o.tools),
      );
      if (step.unreadable.length > 0)
        o.log.warn(
          { seqs: step.unreadable },
          `the raw JSON of ${step.unreadable.length} stored MCP calls could not be read: stored as naming no operation`,
        );
      // Calls stored since never need it: a short chunk was the last.
      if (step.read < size) break;
      afterSeq = step.lastSeq;
      if (o.elapsed() - began >= (o.budgetMs ?? BUDGET_MS)) return;
      await setImmediate();
    }
    o.log.info(
      "every MCP call stored before the operation and guessed flag had columns now has them",
    );
  }
}

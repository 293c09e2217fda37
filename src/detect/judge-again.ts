import type { StoredEvent } from "../domain/event.js";

/** What it reads and takes the queue through (the store's, passed in: the core imports none). */
export interface JudgeAgainStores {
  readonly events: { bySeq(seq: number): StoredEvent | undefined };
  readonly judgeAgain: {
    queued(orgId: string, limit: number): number[];
    done(orgId: string, seqs: readonly number[]): void;
  };
}

/**
 * Judges the events queued to be judged again (live events an action newly listed as MCP made
 * MCP calls, see classifyChunk), oldest first, up to `limit`: those the rules judged already
 * (up to `after`), read as stored now, each passed to `judge`; `enough` ends it after any one, as
 * it ends a slice. The rest are judged in order, as read from the store. Only those looked at
 * leave the queue. Call in the transaction that writes what the rules find: each is judged once.
 */
export function takeJudgeAgain(
  stores: JudgeAgainStores,
  orgId: string,
  after: number,
  limit: number,
  judge: (event: StoredEvent) => void,
  enough: () => boolean,
): boolean {
  const taken: number[] = [];
  let judged = 0;
  for (const seq of stores.judgeAgain.queued(orgId, limit)) {
    if (judged > 0 && enough()) break;
    taken.push(seq);
    const event = seq <= after ? stores.events.bySeq(seq) : undefined;
    if (event?.isMcp !== true || event.backfilled) continue;
    judge(event);
    judged++;
  }
  stores.judgeAgain.done(orgId, taken);
  return taken.length > 0;
}

import type { StoredEvent } from "../domain/event.js";
import type { Repositories } from "../store/repositories.js";

/**
 * Takes up to `limit` events queued to be judged again (live events an action newly listed as MCP
 * made MCP calls, see classifyKeysAgain): those the rules judged already (up to `after`), read as
 * stored now. The rest are judged in order, as read from the store. Call in the transaction that
 * writes what the rules find: each is judged once.
 */
export function takeJudgeAgain(
  stores: Pick<Repositories, "events" | "judgeAgain">,
  orgId: string,
  after: number,
  limit: number,
): { taken: boolean; events: StoredEvent[] } {
  const seqs = stores.judgeAgain.queued(orgId, limit);
  if (seqs.length === 0) return { taken: false, events: [] };
  stores.judgeAgain.done(orgId, seqs);
  const events = seqs
    .filter((seq) => seq <= after)
    .map((seq) => stores.events.bySeq(seq))
    .filter((event): event is StoredEvent => event?.isMcp === true && !event.backfilled);
  return { taken: true, events };
}

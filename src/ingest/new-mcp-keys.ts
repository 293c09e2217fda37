import type { StoredEvent } from "../domain/event.js";
import type { ClassifyAgainWork } from "../store/classify-again.js";
import type { Repositories } from "../store/repositories.js";
import type { McpCatalog } from "./classify.js";
import { classifiedAgain, classifiedOtherwise } from "./classify-again.js";

export type ClassifyAgainStores = Pick<Repositories, "events" | "judgeAgain" | "classifyAgain">;

/** The seq range one chunk looks through (event_rows' rowid), and the most events it rewrites. */
const CHUNK_SEQS = 20_000;
const CHUNK_EVENTS = 500;

/**
 * Records that the stored events of action keys newly listed as MCP are to be classified again
 * (classify_again): those stored up to now, the organization's `rows`; events stored later are
 * classified with the catalogue that lists them. Call in the transaction that stores the
 * catalogue: the work is kept with it, and done a chunk at a time after (classifyChunk).
 */
export function recordKeysAgain(
  stores: ClassifyAgainStores,
  orgId: string,
  keys: readonly string[],
): { rows: number } {
  const until = stores.events.maxSeq(orgId);
  const rows = stores.events.counts(orgId).events;
  if (rows > 0) for (const key of keys) stores.classifyAgain.add(orgId, key, until, rows);
  return { rows };
}

/**
 * One chunk of `work`: the events of its action in the next range of seq that are not MCP calls
 * (only those can become one) or guessed ones (listed now) classified again with `catalog` as
 * `reclassify` does, those that became MCP calls counted in the personal baselines (each as of
 * when it was stored, see recordListedLate) and the live ones of them the rules judged already
 * queued to be judged again (judge_again);
 * a guessed call, counted and judged as one when stored, is only relabelled (never made no call
 * here). The position is kept; the work's row goes when it reaches its end. Call in a write
 * transaction of its own.
 */
export function classifyChunk(
  stores: ClassifyAgainStores,
  work: ClassifyAgainWork,
  catalog: McpCatalog,
  now: number,
  size = { seqs: CHUNK_SEQS, events: CHUNK_EVENTS },
): { work: ClassifyAgainWork; done: boolean } {
  const { orgId, action } = work;
  const from = stores.classifyAgain.nextSeq(work.afterSeq);
  if (from === undefined || from > work.untilSeq) {
    stores.classifyAgain.done(orgId, action);
    return { work, done: true };
  }
  let to = Math.min(from + size.seqs - 1, work.untilSeq);
  const stored = stores.classifyAgain.notListed(orgId, action, work.afterSeq, to, size.events);
  // As many as a chunk rewrites: the next goes on after the last of them.
  if (stored.length === size.events) to = stored.at(-1)?.seq ?? to;
  const differs: StoredEvent[] = [];
  const becameMcp: StoredEvent[] = [];
  const live: number[] = [];
  for (const event of stored) {
    const again = classifiedAgain(event, catalog);
    if (!classifiedOtherwise(again, event) || (event.isMcp && !again.isMcp)) continue;
    differs.push(again);
    if (event.isMcp || !again.isMcp) continue;
    becameMcp.push(again);
    if (!event.backfilled) live.push(event.seq);
  }
  const nowMcp = becameMcp.length;
  stores.events.updateClassification(differs);
  stores.events.recordListedLate(becameMcp, now);
  const queued = stores.judgeAgain.add(orgId, live);
  const done = to >= work.untilSeq;
  if (done) stores.classifyAgain.done(orgId, action);
  else stores.classifyAgain.advance(orgId, action, to, nowMcp, queued);
  const next = {
    ...work,
    afterSeq: to,
    nowMcp: work.nowMcp + nowMcp,
    queued: work.queued + queued,
  };
  return { work: next, done };
}

import type { NormalizedEvent } from "../domain/event.js";
import type { Repositories } from "../store/repositories.js";
import type { McpCatalog } from "./classify.js";
import { classifiedOtherwise } from "./classify-again.js";
import { reclassify } from "./normalize.js";

export type ClassifyAgainStores = Pick<Repositories, "events" | "judgeAgain">;

export interface ClassifiedAgain {
  /** Stored events whose classification changed. */
  readonly changed: number;
  /** Of those, the ones that became MCP calls. */
  readonly nowMcp: number;
  /** Of those, the ones stored live, queued for the rules (history never alerts). */
  readonly queued: number;
}

/**
 * The stored events of action keys newly listed as MCP, classified again with `catalog` as
 * `reclassify` does; the live ones that became MCP calls are queued to be judged by the rules
 * (judge_again). Call in the transaction that stores the catalogue: a crash loses neither.
 */
export function classifyKeysAgain(
  stores: ClassifyAgainStores,
  orgId: string,
  keys: readonly string[],
  catalog: McpCatalog,
): ClassifiedAgain {
  let changed = 0;
  let nowMcp = 0;
  const queued: number[] = [];
  for (const key of keys) {
    const stored = stores.events.withAction(orgId, key);
    const differs: NormalizedEvent[] = [];
    for (const event of stored) {
      const again = reclassify(event, catalog);
      if (!classifiedOtherwise(again, event)) continue;
      differs.push(again);
      if (!again.isMcp || event.isMcp) continue;
      nowMcp++;
      if (!event.backfilled) queued.push(event.seq);
    }
    stores.events.updateClassification(differs);
    changed += differs.length;
  }
  stores.judgeAgain.add(orgId, queued);
  return { changed, nowMcp, queued: queued.length };
}

import type { StoredEvent } from "../domain/event.js";
import { type BaselineWriter, recordedAgain } from "./baselines.js";
import type { Db } from "./db.js";
import type { StringTable } from "./strings.js";

/**
 * Records an organization's personal baselines again from its stored events as classified now
 * (after `reclassify`), summed outside any transaction (a million take most of a minute, while
 * the bot goes on storing), then written with the events stored meanwhile in one transaction.
 * Text deleted meanwhile by the retention (refs that may name nothing now, or another text):
 * summed again, the third time within the transaction. Not inside a transaction.
 * `events(from)`: the organization's stored events after seq `from`, a chunk at a time.
 */
export function rebuildBaselines(
  store: { db: Db; strings: StringTable; baselines: BaselineWriter },
  orgId: string,
  events: (from: number) => Iterable<StoredEvent[]>,
  now: number,
): void {
  const { db, strings, baselines } = store;
  const tallied = () => {
    const tally = baselines.tally(now);
    let read = 0;
    for (const chunk of events(0)) {
      tally.add(chunk.map(recordedAgain));
      read = chunk.at(-1)?.seq ?? read;
    }
    return { tally, read };
  };
  for (let attempt = 1; ; attempt++) {
    strings.check();
    const deletes = strings.deletes();
    let summed = attempt < 3 ? tallied() : undefined;
    const written = db
      .transaction(() => {
        if (summed && strings.deletes() !== deletes) return false;
        if (!summed) {
          strings.check();
          summed = tallied();
        }
        baselines.clear(orgId);
        baselines.write(summed.tally);
        for (const chunk of events(summed.read)) baselines.record(chunk.map(recordedAgain), now);
        return true;
      })
      .immediate();
    if (written) return;
  }
}

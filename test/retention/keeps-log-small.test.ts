import { statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Pruner } from "../../src/retention/pruner.js";
import { startCheckpointer } from "../../src/store/checkpointer.js";
import { repositories } from "../../src/store/repositories.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { capturedLogger } from "../helpers/logs.js";
import { NOW, retentionDb } from "./seed.js";

/**
 * A first pass deleting a year writes without pause: the write-ahead log grew to gigabytes, and
 * the write that started it again cut it back on the bot's thread, for seconds.
 */
describe("a retention pass with the checkpointer's thread on", () => {
  /** The largest the -wal grew to over a pass deleting 6,000 old events, 200 a batch. */
  async function largestLog(keepUp: boolean): Promise<{ largest: number; events: number }> {
    const s = retentionDb();
    for (let day = 0; day < 6; day++) s.addEvents(1_000, 500 + day);
    s.db.pragma("wal_checkpoint(TRUNCATE)");
    // No pass of its own: only those the pruner asks for.
    const checkpointer = startCheckpointer(s.db, {
      logger: capturedLogger().logger,
      everyMs: 60_000,
      keepUpMs: 0,
    });
    await checkpointer.ready;
    try {
      const stores = repositories(s.db);
      let largest = 0;
      const prune = stores.retention.pruneBatch.bind(stores.retention);
      stores.retention.pruneBatch = (...args) => {
        try {
          return prune(...args);
        } finally {
          largest = Math.max(largest, statSync(`${s.db.name}-wal`).size);
        }
      };
      const pruner = new Pruner({
        stores,
        clock: new VirtualClock(NOW),
        logger: capturedLogger().logger,
        retentionDays: 400,
        emptyLog: () => checkpointer.emptyLog(),
        ...(keepUp ? { keepUp: () => checkpointer.keepUp() } : {}),
      });
      const { events } = await pruner.pruneOnce();
      return { largest, events };
    } finally {
      await checkpointer.stop();
    }
  }

  it("waits for it between batches, so the log holds about a batch and never grows with the pass", async () => {
    const kept = await largestLog(true);
    const grown = await largestLog(false);
    expect(kept.events).toBe(6_000);
    expect(grown.events).toBe(6_000);
    // What it spares: the same pass with no wait grows the log with every batch.
    expect(kept.largest * 5).toBeLessThan(grown.largest);
  });
});

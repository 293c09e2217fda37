/**
 * The events kept whatever their age (an alert's, not exported yet) pile up at the old end of the
 * time index, before everything the next daily pass deletes: a batch reads its 200 rows from where
 * the last one stopped, not every kept event again.
 */
import { describe, expect, it } from "vitest";
import { Pruner } from "../../src/retention/pruner.js";
import { repositories } from "../../src/store/repositories.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { capturedLogger } from "../helpers/logs.js";
import { NOW, retentionDb } from "./seed.js";

describe("the daily pass with many old events kept", () => {
  it("reads each old event once in the pass, 200 at most a batch", async () => {
    const s = retentionDb();
    s.alertOn(s.addEvents(3_000, 420));
    s.addEvents(1_000, 410);
    s.addEvents(5, 1);
    const stores = repositories(s.db);
    const reads: number[] = [];
    const retention = Object.create(stores.retention) as typeof stores.retention;
    retention.pruneBatch = (...args) => {
      const batch = stores.retention.pruneBatch(...args);
      reads.push(batch.read);
      return batch;
    };
    const p = new Pruner({
      stores: { ...stores, retention },
      clock: new VirtualClock(NOW),
      logger: capturedLogger("info").logger,
      retentionDays: 400,
    });
    const result = await p.pruneOnce();
    expect(result.events).toBe(1_000);
    expect(s.count("events")).toBe(3_005);
    // 4,000 old events, each read once: 20 batches of 200 (and one finding none left).
    expect(reads.reduce((a, b) => a + b, 0)).toBe(4_000);
    expect(Math.max(...reads)).toBe(200);
    expect(reads.length).toBeLessThanOrEqual(21);
  }, 60_000);
});

import { describe, expect, it } from "vitest";
import { Pruner } from "../../src/retention/pruner.js";
import { repositories } from "../../src/store/repositories.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { capturedLogger } from "../helpers/logs.js";
import { DAY, NOW, retentionDb } from "./seed.js";

/** `count` messages delivered `daysAgo` days before NOW. */
function delivered(s: ReturnType<typeof retentionDb>, count: number, daysAgo: number): void {
  const outbox = repositories(s.db).outbox;
  const at = NOW - daysAgo * DAY;
  s.db.transaction(() => {
    for (let i = 0; i < count; i++)
      outbox.enqueue(
        {
          key: `m:${daysAgo}:${i}`,
          kind: "notice",
          method: "chat.postMessage",
          to: { channel: "C1" },
          payload: { text: `message ${i}` },
          priority: 2,
        },
        at,
      );
    s.db
      .prepare(
        `UPDATE outbox SET state = 'delivered', settled_at = @at, delivered_at = @at,
           delivered_channel = 'C1', delivered_ts = '1.' || id WHERE state = 'pending'`,
      )
      .run({ at });
  })();
}

describe("pruning the outbox", () => {
  it("after a long stop, forgets old messages 200 at a time with a turn of the event loop between", async () => {
    const s = retentionDb();
    delivered(s, 450, 31);
    delivered(s, 3, 29);
    const stores = repositories(s.db);
    const steps: string[] = [];
    const outbox = Object.create(stores.outbox) as typeof stores.outbox;
    outbox.prune = (before, limit) => {
      const deleted = stores.outbox.prune(before, limit);
      steps.push(`delete ${deleted}`);
      setImmediate(() => steps.push("others"));
      return deleted;
    };
    const logs = capturedLogger("info");
    const p = new Pruner({
      stores: { ...stores, outbox },
      clock: new VirtualClock(NOW),
      logger: logs.logger,
      retentionDays: 400,
    });
    await p.pruneOnce();
    expect(steps.slice(0, 5)).toEqual([
      "delete 200",
      "others",
      "delete 200",
      "others",
      "delete 50",
    ]);
    expect(s.count("outbox")).toBe(3);
    expect(logs.lines().find((l) => l.outboxPruned !== undefined)?.outboxPruned).toBe(450);
  });
});

import { statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AlertStore } from "../../src/store/alerts.js";
import { EventStore } from "../../src/store/events.js";
import { openStore } from "../../src/store/open.js";
import { DAY } from "../../src/time-units.js";
import { mcpEvent } from "../detect/fixtures.js";
import { logged, startFaultyApp } from "../faults/harness.js";
import { tempDir } from "../helpers/tmp.js";
import { until } from "../helpers/until.js";

const ORG = "org-keep-up";
const OLD_EVENTS = 60_000;

/** A store holding a day of `OLD_EVENTS` calls 500 days old, every one judged by the rules. */
function storeWithOldCalls(): string {
  const path = join(tempDir(), "old-calls.db");
  const db = openStore(path);
  const events = new EventStore(db);
  const time = Date.now() - 500 * DAY;
  db.transaction(() => {
    events.insertMany(
      Array.from({ length: OLD_EVENTS }, (_, i) =>
        mcpEvent({ orgId: ORG, id: `old-${i}`, time: time + i * 1000, processedAt: time }),
      ),
      time,
    );
    new AlertStore(db).setLastEvaluated(ORG, events.maxSeq(ORG), Date.now());
  })();
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
  return path;
}

describe("the bot's retention pass, as it starts on a store with much to delete", () => {
  it("waits for the checkpoint thread, so the -wal holds a part of what the pass writes", async () => {
    const path = storeWithOldCalls();
    let largest = 0;
    const sample = setInterval(() => {
      largest = Math.max(largest, statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0);
    }, 1);
    try {
      const r = await startFaultyApp({
        orgId: ORG,
        env: { DATABASE_PATH: path, RETENTION_DAYS: "400" },
      });
      await until(() => logged(r, "retention: pruned").length === 1, "the first pass", 45_000);
      expect(logged(r, "retention: pruned")[0]?.msg).toMatch(
        new RegExp(`^retention: pruned ${OLD_EVENTS} events`),
      );
    } finally {
      clearInterval(sample);
    }
    // Measured on one machine: 191 MB without the waits (the whole pass in one log), 38 MB with.
    expect(largest).toBeGreaterThan(0);
    expect(largest).toBeLessThan(96 * 1024 * 1024);
    // 3–10 s (60,000 events written, then a bot started and its first pass); the pass waits for
    // the checkpoint thread, which a loaded machine slows most.
  }, 60_000);
});

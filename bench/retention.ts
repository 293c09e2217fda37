import { monitorEventLoopDelay } from "node:perf_hooks";
import { systemClock } from "../src/clock.js";
import { createLogger } from "../src/logger.js";
import { Pruner } from "../src/retention/pruner.js";
import { AlertStore } from "../src/store/alerts.js";
import { startCheckpointer } from "../src/store/checkpointer.js";
import { EventStore } from "../src/store/events.js";
import { openStore } from "../src/store/open.js";
import { repositories } from "../src/store/repositories.js";
import { watchLargestSize } from "./largest-size.js";
import { DAYS, millionEventStoreCopy } from "./store-1m.js";

/** Days of the 1M store's 180 the pass prunes: its first 20. */
const PRUNED_DAYS = 20;

/**
 * The retention pass on a copy of the 1M-event store, as the bot runs it (every event evaluated
 * by the rules, the checkpointer's thread on): the first 20 of its 180 days pruned, then the interned text no row refers to
 * looked for and deleted. Prints the pass's time and the longest the event loop waited, with
 * deleted rows overwritten in the file (secure_delete, as the bot opens it) and without, on two
 * copies, in the same run.
 */
export async function benchRetention(): Promise<void> {
  const now = Date.now();
  const times: Record<string, number> = {};
  for (const secure of ["ON", "OFF"]) {
    const copy = millionEventStoreCopy(now);
    try {
      const db = openStore(copy.path);
      db.pragma(`secure_delete = ${secure}`);
      new AlertStore(db).setLastEvaluated(copy.orgId, new EventStore(db).maxSeq(copy.orgId), now);
      const logger = createLogger({ level: "warn", format: "json", fd: 2 });
      const checkpointer = startCheckpointer(db, { logger });
      await checkpointer.ready;
      const log = watchLargestSize(`${db.name}-wal`);
      const pruner = new Pruner({
        stores: repositories(db),
        clock: systemClock,
        logger,
        retentionDays: DAYS - PRUNED_DAYS,
        emptyLog: () => checkpointer.emptyLog(),
        keepUp: () => checkpointer.keepUp(),
      });
      const delay = monitorEventLoopDelay({ resolution: 1 });
      delay.enable();
      // The monitor records a delay from its second tick on: the first batch would go unseen.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const started = performance.now();
      const result = await pruner.pruneOnce();
      const ms = performance.now() - started;
      // A timer's turn, so that the histogram sees the pass's last stretch too (emptying the log).
      await new Promise((resolve) => setTimeout(resolve, 10));
      delay.disable();
      times[secure] = ms;
      const largest = (await log.since()) / 1_048_576;
      console.log(
        `secure_delete ${secure}: ${result.events} events pruned in ${(ms / 1000).toFixed(1)} s (${result.batches} batches), ${result.forgotten ?? "no"} texts forgotten; event loop waited p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms, longest ${(delay.max / 1e6).toFixed(1)} ms; the write-ahead log at most ${largest.toFixed(1)} MiB`,
      );
      await log.stop();
      await checkpointer.stop();
      db.close();
    } finally {
      copy.remove();
    }
  }
  console.log(
    `deleted rows overwritten / left in free pages: ${((times.ON ?? 0) / (times.OFF ?? 1)).toFixed(2)}× the time`,
  );
}

import { monitorEventLoopDelay } from "node:perf_hooks";
import { CallFiller } from "../src/ingest/fill-calls.js";
import { createLogger } from "../src/logger.js";
import { startCheckpointer } from "../src/store/checkpointer.js";
import { openStore } from "../src/store/open.js";
import { repositories } from "../src/store/repositories.js";
import { millionEventStoreCopy } from "./store-1m.js";

/** The bot's poll interval by default: the fill's passes are a poll's tail each. */
const POLL_INTERVAL_S = 60;

/**
 * A database upgraded from a release before migration 0045: on a copy of the 1M store, every MCP
 * call's operation and guessed flag emptied as that migration left them. Prints how long
 * migration 0046's index of them takes to build, then the bot's after-poll passes that store them
 * again (each at most 2 s, as the bot runs them): the calls stored a second, the passes needed,
 * the longest the event loop waited (the write-ahead log emptied on the checkpointer's thread, as
 * the bot does), and the share of a poll interval the work takes.
 */
export async function benchFill(): Promise<void> {
  const copy = millionEventStoreCopy(Date.now());
  try {
    const db = openStore(copy.path);
    db.prepare(
      "UPDATE event_rows SET operation = NULL, tool_guessed = NULL WHERE tool IS NOT NULL",
    ).run();
    db.exec("DROP INDEX event_rows_unfilled");
    let started = performance.now();
    db.exec(
      "CREATE INDEX event_rows_unfilled ON event_rows (org) WHERE tool_guessed IS NULL AND tool IS NOT NULL",
    );
    const indexMs = performance.now() - started;
    const stores = repositories(db);
    const calls = stores.unfilledCalls.count(copy.orgId);
    console.log(`migration 0046's index of ${calls} calls to fill: ${indexMs.toFixed(0)} ms`);

    const logger = createLogger({ level: "warn", format: "json", fd: 2 });
    // As the bot runs: the write-ahead log emptied on a thread of its own.
    const checkpointer = startCheckpointer(db, { logger });
    const filler = new CallFiller({
      orgId: copy.orgId,
      stores,
      log: logger,
      elapsed: () => performance.now(),
    });
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    let passes = 0;
    started = performance.now();
    while (stores.unfilledCalls.any(copy.orgId)) {
      await filler.pass();
      passes++;
    }
    const seconds = (performance.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 10));
    delay.disable();
    console.log(
      `filled ${calls} calls in ${seconds.toFixed(1)} s over ${passes} passes: ${Math.round(calls / seconds)} calls/s, ${((seconds * 1e6) / calls).toFixed(0)} µs a call; event loop waited p50 ${(delay.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms, longest ${(delay.max / 1e6).toFixed(1)} ms`,
    );
    console.log(
      `at one pass a poll (every ${POLL_INTERVAL_S} s): done in ~${passes} polls, ${((seconds / passes / POLL_INTERVAL_S) * 100).toFixed(1)}% of each interval`,
    );
    await checkpointer.stop();
    db.close();
  } finally {
    copy.remove();
  }
}

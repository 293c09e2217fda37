import { composeDigest } from "../src/digest/compose.js";
import { createLogger } from "../src/logger.js";
import { repositories } from "../src/store/repositories.js";
import { DAY } from "../src/time-units.js";
import { millionEventStore, percentile } from "./store-1m.js";

const RUNS = 10;

/** Building one day's digest (figures, message and chart) over the 1M-event store. */
export async function benchDigest(): Promise<void> {
  const now = Date.now();
  const { db, orgId } = millionEventStore(now);
  const logger = createLogger({ level: "warn", format: "json", fd: 2 });
  const deps = {
    stores: repositories(db),
    logger,
    orgId,
    timeZone: "Europe/Berlin",
    health: () => ({ lagSeconds: 60, quarantined: 0, keyRejected: false, lastError: null }),
  };
  const times: number[] = [];
  let calls = 0;
  for (let i = 0; i < RUNS; i++) {
    const until = now - i * DAY;
    const started = performance.now();
    const { data, chart } = await composeDigest(deps, "daily", until - DAY, until, { late: false });
    times.push(performance.now() - started);
    calls = data.current.calls;
    if (!chart) throw new Error("no chart rendered");
  }
  times.sort((a, b) => a - b);
  const p95 = percentile(times, 95);
  console.log(
    `one day's digest (~${calls} MCP calls, chart included): p50 ${percentile(times, 50).toFixed(0)} ms, max ${p95.toFixed(0)} ms over ${RUNS} days (target <= 500 ms: ${p95 <= 500 ? "met" : "NOT met"})`,
  );
  db.close();
}

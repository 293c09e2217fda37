import { startBenchApp } from "./app-rig.js";

const SAMPLE_MS = 5_000;

/** Least-squares slope of y over x. */
function slope(points: ReadonlyArray<readonly [number, number]>): number {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const num = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const den = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

const mb = (bytes: number) => bytes / 1024 / 1024;

/**
 * The bot on the 1M-event store for a few minutes at 100 audit events a second, with steady Slack
 * traffic: alerts posted through the outbox, a signed /mcp-activity query every second and a
 * /metrics scrape every second, all on 127.0.0.1. Reports the bot process's heap and RSS growth
 * after warm-up and its event-loop delay. SOAK_MINUTES sets the length (default 3); the first third is warm-up.
 */
export async function benchSoak(): Promise<void> {
  const minutes = Number(process.env.SOAK_MINUTES ?? 3);
  const runMs = minutes * 60_000;
  const warmUpMs = runMs / 3;
  const app = await startBenchApp();
  const { counts, requests } = app;
  const queries = ["user:me since:1d", "since:1h", "tool:getJiraIssue since:1d", "status"];
  let asked = 0;
  let scraped = 0;
  const asking = setInterval(() => {
    requests.command(queries[asked++ % queries.length] ?? "help").catch(() => undefined);
    app
      .get("/metrics")
      .then(() => scraped++)
      .catch(() => undefined);
  }, 1000);

  const started = performance.now();
  const heap: Array<[number, number]> = [];
  const rss: Array<[number, number]> = [];
  let warm = false;
  const eventsAtWarm = { at: 0, count: 0 };
  while (performance.now() - started < runMs) {
    await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
    const t = (performance.now() - started) / 60_000;
    if (!warm && performance.now() - started >= warmUpMs) {
      warm = true;
      app.startWindow(10);
      eventsAtWarm.at = performance.now();
      eventsAtWarm.count = await app.served();
    }
    if (warm) {
      const { memory } = await app.sample();
      heap.push([t, mb(memory.heapUsed)]);
      rss.push([t, mb(memory.rss)]);
    }
  }
  // The heap right after each full collection (what is still alive, without the garbage that
  // heapUsed also counts until the collector runs), the longest collection, the loop's delay.
  const { delay, longestCollection, liveAfterFull: live, stalls } = await app.sample();
  clearInterval(asking);
  await new Promise((resolve) => setTimeout(resolve, 2000)); // the last answers
  const served = await app.served();
  const rate = (served - eventsAtWarm.count) / ((performance.now() - eventsAtWarm.at) / 1000);
  await app.stop();

  const first = heap[0]?.[1] ?? 0;
  const last = heap.at(-1)?.[1] ?? 0;
  const heapSlope = slope(heap);
  const p99 = delay.p99;
  console.log(
    `soak: ${minutes} min at ${rate.toFixed(0)} events/s (after ${(warmUpMs / 60_000).toFixed(1)} min warm-up), ${counts.posted} messages posted, ${counts.updated} updated, ${counts.replies} of ${asked} queries answered, ${scraped} /metrics scrapes`,
  );
  console.log(
    `heap after warm-up: ${first.toFixed(1)} → ${last.toFixed(1)} MB, trend ${heapSlope >= 0 ? "+" : ""}${heapSlope.toFixed(2)} MB/min; RSS ${rss[0]?.[1].toFixed(0)} → ${rss.at(-1)?.[1].toFixed(0)} MB, trend ${slope(rss).toFixed(2)} MB/min`,
  );
  console.log(
    live.length < 2
      ? `heap after full collections: ${live.length} collection(s) after warm-up, no trend`
      : `heap after each full collection (live objects): ${live[0]?.[1].toFixed(1)} → ${live.at(-1)?.[1].toFixed(1)} MB over ${live.length} collections, trend ${slope(live) >= 0 ? "+" : ""}${slope(live).toFixed(2)} MB/min`,
  );
  console.log(
    `the bot's event-loop delay: p50 ${delay.p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${delay.max.toFixed(1)} ms (target p99 < 50 ms: ${p99 < 50 ? "met" : "NOT met"}); the longest garbage collection ${longestCollection.toFixed(1)} ms`,
  );
  const longest = stalls.map((s) => `${s.ms.toFixed(1)} ms (ended ${s.endedAt})`);
  console.log(`its longest stalls: ${longest.join(", ") || "none over 50 ms"}`);
}

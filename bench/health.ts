import { loadavg } from "node:os";
import { type BenchApp, startBenchApp } from "./app-rig.js";
import { percentile } from "./percentile.js";

const REQUESTS = 200;

async function timed(app: BenchApp, label: string, once: () => Promise<void>): Promise<void> {
  for (let i = 0; i < 10; i++) await once(); // warm-up
  app.startWindow(1);
  const times: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const started = performance.now();
    await once();
    times.push(performance.now() - started);
  }
  const { delay, longCollections, longestCollection, window } = await app.sample();
  times.sort((a, b) => a - b);
  const p99 = percentile(times, 99);
  console.log(
    `${label.padEnd(30)} p50 ${percentile(times, 50).toFixed(1).padStart(6)} ms   p99 ${p99.toFixed(1).padStart(6)} ms   max ${(times.at(-1) ?? 0).toFixed(1).padStart(6)} ms   (target p99 <= 5 ms: ${p99 <= 5 ? "met" : "NOT met"})`,
  );
  console.log(
    `${"".padEnd(30)} the bot's event loop meanwhile: p99 delay ${delay.p99.toFixed(1)} ms, max ${delay.max.toFixed(1)} ms; ${longCollections} garbage collection(s) of 2 ms or more, the longest ${longestCollection.toFixed(1)} ms`,
  );
  const waited = window.waitedForCpuMs;
  console.log(
    `${"".padEnd(30)} ${waited === undefined ? "" : `its thread waited ${waited.toFixed(1)} ms of the ${window.ms.toFixed(0)} ms for a CPU (busy with other threads or processes); `}load average ${loadavg()[0]?.toFixed(1)} on this machine`,
  );
}

/**
 * GET /healthz, GET /metrics and `/mcp-activity status` on the 1M-event store, 200 requests each
 * over 127.0.0.1 to the bot's own process while it polls: each timed from the request to the
 * whole answer (status: from the signed slash command to its ephemeral reply, through the Slack
 * stand-in).
 */
export async function benchHealth(): Promise<void> {
  const app = await startBenchApp();
  try {
    // Past start-up (the first poll, the rules catching up, a missed digest): steady state.
    await new Promise((resolve) => setTimeout(resolve, 15_000));
    const get = (path: string) => async () => {
      await app.get(path);
    };
    await timed(app, "GET /healthz", get("/healthz"));
    await timed(app, "GET /metrics", get("/metrics"));
    await timed(app, "/mcp-activity status (reply)", async () => {
      const reply = app.nextReply();
      await app.requests.command("status");
      await reply;
    });
  } finally {
    await app.stop();
  }
}

import {
  constants,
  type IntervalHistogram,
  monitorEventLoopDelay,
  PerformanceObserver,
} from "node:perf_hooks";

/**
 * Loaded into the bot's own process by the bench rig (`--import`), so the benchmarks can read what
 * only that process sees: its event-loop delay, its memory and its garbage collections. The rig
 * sends "start" (with a resolution in ms) to begin a window and "sample" to read it; the probe
 * answers over the IPC channel and never keeps the process alive.
 */
export interface ProbeSample {
  memory: NodeJS.MemoryUsage;
  delay: { p50: number; p99: number; max: number };
  /** The longest collection of the window, in ms. */
  longestCollection: number;
  /** [minutes into the window, heapUsed in MB] right after each full collection: what is alive. */
  liveAfterFull: Array<[number, number]>;
}

let delay: IntervalHistogram | undefined;
let longestCollection = 0;
let liveAfterFull: Array<[number, number]> = [];
let windowStart = performance.now();

new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    longestCollection = Math.max(longestCollection, entry.duration);
    const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
    if (kind === constants.NODE_PERFORMANCE_GC_MAJOR)
      liveAfterFull.push([
        (performance.now() - windowStart) / 60_000,
        process.memoryUsage().heapUsed / 1048576,
      ]);
  }
}).observe({ entryTypes: ["gc"] });

process.on("message", (message: { probe?: "start" | "sample"; resolution?: number }) => {
  if (message.probe === "start") {
    delay?.disable();
    delay = monitorEventLoopDelay({ resolution: message.resolution ?? 1 });
    delay.enable();
    longestCollection = 0;
    liveAfterFull = [];
    windowStart = performance.now();
  } else if (message.probe === "sample") {
    const ms = (ns: number) => ns / 1e6;
    const sample: ProbeSample = {
      memory: process.memoryUsage(),
      delay: delay
        ? { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) }
        : { p50: 0, p99: 0, max: 0 },
      longestCollection,
      liveAfterFull,
    };
    process.send?.({ sample });
  }
});
process.channel?.unref();

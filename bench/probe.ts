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
  /** The window's longest stalls of the event loop, longest first: when each ended, and its length. */
  stalls: Stall[];
}

export interface Stall {
  /** When it ended (ISO time, to find it in other records of the same minutes), and its length. */
  readonly endedAt: string;
  readonly ms: number;
}

/**
 * A timer every STALL_TICK_MS: two ticks more than STALL_MS apart are a stall, counted as the whole
 * gap (as the delay histogram counts, where STALL_TICK_MS is an idle loop); the longest are kept.
 */
const STALL_TICK_MS = 10;
const STALL_MS = 50;
const STALLS_KEPT = 5;

let delay: IntervalHistogram | undefined;
let longestCollection = 0;
let liveAfterFull: Array<[number, number]> = [];
let stalls: Stall[] = [];
let windowStart = performance.now();
let lastTick = performance.now();

setInterval(() => {
  const now = performance.now();
  const ms = now - lastTick;
  lastTick = now;
  if (ms < STALL_MS || (stalls.length === STALLS_KEPT && ms <= (stalls.at(-1)?.ms ?? 0))) return;
  stalls = [...stalls, { endedAt: new Date().toISOString(), ms }]
    .sort((a, b) => b.ms - a.ms)
    .slice(0, STALLS_KEPT);
}, STALL_TICK_MS).unref();

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
    stalls = [];
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
      stalls,
    };
    process.send?.({ sample });
  }
});
process.channel?.unref();

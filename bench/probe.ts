import { readFileSync } from "node:fs";
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
  /** The window's collections that held the event loop at least COLLECTION_MS. */
  longCollections: number;
  /** [minutes into the window, heapUsed in MB] right after each full collection: what is alive. */
  liveAfterFull: Array<[number, number]>;
  /** The window's longest stalls of the event loop, longest first: when each ended, and its length. */
  stalls: Stall[];
  /** How long the window lasted, and how long of it the bot's thread was ready to run but waited for a CPU (Linux only). */
  window: { ms: number; waitedForCpuMs: number | undefined };
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
/** A collection at least this long is counted: a request arriving meanwhile waits that long. */
const COLLECTION_MS = 2;

let delay: IntervalHistogram | undefined;
let longestCollection = 0;
let longCollections = 0;
let liveAfterFull: Array<[number, number]> = [];
let stalls: Stall[] = [];
let windowStart = performance.now();
let waitedAtStart: number | undefined;
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
    // Entries arrive after the collection: one from before the window began is not the window's.
    if (entry.startTime < windowStart) continue;
    longestCollection = Math.max(longestCollection, entry.duration);
    if (entry.duration >= COLLECTION_MS) longCollections++;
    const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
    if (kind === constants.NODE_PERFORMANCE_GC_MAJOR)
      liveAfterFull.push([
        (performance.now() - windowStart) / 60_000,
        process.memoryUsage().heapUsed / 1048576,
      ]);
  }
}).observe({ entryTypes: ["gc"] });

/**
 * How long this thread has been ready to run but waited for a CPU, in ms (the second figure of
 * Linux's schedstat); undefined elsewhere. On a machine whose cores are all busy a request waits
 * that long whatever the bot does.
 */
function waitedForCpu(): number | undefined {
  try {
    return Number(readFileSync("/proc/thread-self/schedstat", "utf8").split(" ")[1]) / 1e6;
  } catch {
    return undefined;
  }
}

process.on("message", (message: { probe?: "start" | "sample"; resolution?: number }) => {
  if (message.probe === "start") {
    delay?.disable();
    delay = monitorEventLoopDelay({ resolution: message.resolution ?? 1 });
    delay.enable();
    longestCollection = 0;
    longCollections = 0;
    liveAfterFull = [];
    stalls = [];
    windowStart = performance.now();
    waitedAtStart = waitedForCpu();
  } else if (message.probe === "sample") {
    const ms = (ns: number) => ns / 1e6;
    const sample: ProbeSample = {
      memory: process.memoryUsage(),
      delay: delay
        ? { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) }
        : { p50: 0, p99: 0, max: 0 },
      longestCollection,
      longCollections,
      liveAfterFull,
      stalls,
      window: { ms: performance.now() - windowStart, waitedForCpuMs: waited(waitedForCpu()) },
    };
    process.send?.({ sample });
  }
});
process.channel?.unref();

function waited(now: number | undefined): number | undefined {
  return now === undefined || waitedAtStart === undefined ? undefined : now - waitedAtStart;
}

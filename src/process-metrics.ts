import { readdirSync } from "node:fs";
import { constants, monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import { Counter, Gauge, Histogram, type Registry } from "prom-client";

const PREFIX = "mcp_activity_";
/** How often the event-loop delay monitor's timer runs, in milliseconds. */
const LOOP_RESOLUTION_MS = 10;
const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: "minor",
  [constants.NODE_PERFORMANCE_GC_MAJOR]: "major",
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: "incremental",
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: "weakcb",
};

/**
 * A sample of monitorEventLoopDelay (nanoseconds) as the event loop's delay in seconds: the
 * monitor records the whole time between two runs of its timer, which is its resolution when the
 * loop is not held, so that is taken off.
 */
export function loopDelaySeconds(nanoseconds: number, resolutionMs: number): number {
  return Math.max(0, nanoseconds / 1e9 - resolutionMs / 1e3);
}

/**
 * The process's own metrics, under prom-client's default names (`process_cpu_seconds_total`,
 * `process_resident_memory_bytes`, `nodejs_eventloop_lag_p99_seconds`, `nodejs_gc_duration_seconds`
 * …) so that the usual Node.js dashboards read them. prom-client's own set costs a scrape 0.6–0.8
 * ms of the event loop and ~165 KB of garbage (most of it the event-loop lag's standard deviation
 * and mean, computed over every bucket of the histogram at each scrape, and the lists of active
 * handles); this set reads only what is cheap to read: CPU, memory, the event-loop delay's p50,
 * p99 and max since the last scrape, collections, open file descriptors.
 */
export function collectProcessMetrics(registry: Registry, read: <T>(f: () => T) => () => T): void {
  const registers = [registry];
  const memory = read(() => process.memoryUsage());
  const cpu = read(() => process.cpuUsage());
  for (const [name, help, micros] of [
    ["process_cpu_user_seconds_total", "User CPU time spent, in seconds.", (u) => u.user],
    ["process_cpu_system_seconds_total", "System CPU time spent, in seconds.", (u) => u.system],
    [
      "process_cpu_seconds_total",
      "User and system CPU time spent, in seconds.",
      (u) => u.user + u.system,
    ],
  ] as const satisfies ReadonlyArray<readonly [string, string, (u: NodeJS.CpuUsage) => number]>) {
    let counted = 0;
    new Counter({
      name: PREFIX + name,
      help,
      registers,
      collect(this: Counter) {
        const seconds = micros(cpu()) / 1e6;
        this.inc(Math.max(0, seconds - counted));
        counted = seconds;
      },
    });
  }
  new Gauge({
    name: `${PREFIX}process_start_time_seconds`,
    help: "When the process started, in seconds since the Unix epoch.",
    registers,
  }).set(Math.round(performance.timeOrigin / 1000));
  const memoryGauge = (name: string, help: string, value: (m: NodeJS.MemoryUsage) => number) =>
    new Gauge({
      name: PREFIX + name,
      help,
      registers,
      collect(this: Gauge) {
        this.set(value(memory()));
      },
    });
  memoryGauge("process_resident_memory_bytes", "Resident memory size in bytes.", (m) => m.rss);
  memoryGauge(
    "nodejs_heap_size_total_bytes",
    "Process heap size from Node.js in bytes.",
    (m) => m.heapTotal,
  );
  memoryGauge(
    "nodejs_heap_size_used_bytes",
    "Process heap size used from Node.js in bytes.",
    (m) => m.heapUsed,
  );
  memoryGauge(
    "nodejs_external_memory_bytes",
    "Node.js external memory size in bytes.",
    (m) => m.external,
  );
  const delay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  delay.enable();
  const lag = read(() => {
    // Nothing sampled since the last scrape (scrapes less than 10 ms apart): no delay seen, and an
    // empty histogram's percentiles would walk every bucket.
    if (delay.count === 0) return { p50: 0, p99: 0, max: 0 };
    const seconds = {
      p50: loopDelaySeconds(delay.percentile(50), LOOP_RESOLUTION_MS),
      p99: loopDelaySeconds(delay.percentile(99), LOOP_RESOLUTION_MS),
      max: loopDelaySeconds(delay.max, LOOP_RESOLUTION_MS),
    };
    delay.reset();
    return seconds;
  });
  for (const part of ["p50", "p99", "max"] as const) {
    new Gauge({
      name: `${PREFIX}nodejs_eventloop_lag_${part}_seconds`,
      help: `The event loop's delay since the last scrape: ${part === "max" ? "the longest" : `its ${part}`}, in seconds.`,
      registers,
      collect(this: Gauge) {
        this.set(lag()[part]);
      },
    });
  }
  const gc = new Histogram({
    name: `${PREFIX}nodejs_gc_duration_seconds`,
    help: "Garbage collection duration by kind (minor, major, incremental, weakcb).",
    labelNames: ["kind"],
    buckets: [0.001, 0.01, 0.1, 1, 2, 5],
    registers,
  });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = GC_KINDS[(entry as { detail?: { kind?: number } }).detail?.kind ?? -1];
      if (kind) gc.observe({ kind }, entry.duration / 1000);
    }
  }).observe({ entryTypes: ["gc"] });
  if (process.platform === "linux")
    new Gauge({
      name: `${PREFIX}process_open_fds`,
      help: "Number of open file descriptors.",
      registers,
      collect(this: Gauge) {
        this.set(readdirSync("/proc/self/fd").length - 1); // less the one reading the folder
      },
    });
  const [major, minor, patch] = process.versions.node.split(".");
  new Gauge({
    name: `${PREFIX}nodejs_version_info`,
    help: "Node.js version info.",
    labelNames: ["version", "major", "minor", "patch"],
    registers,
  }).set({ version: process.version, major, minor, patch }, 1);
}

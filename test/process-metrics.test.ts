import { describe, expect, it } from "vitest";
import { Metrics } from "../src/metrics.js";
import { loopDelaySeconds } from "../src/process-metrics.js";

/** The value of an unlabelled sample in a scrape's text. */
function value(text: string, name: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  if (line === undefined) throw new Error(`${name} is not in the scrape`);
  return Number(line.slice(name.length + 1));
}

const busy = (ms: number) => {
  const until = performance.now() + ms;
  let n = 0;
  while (performance.now() < until) n++;
  return n;
};

describe("the process's metrics", () => {
  it("counts CPU, reads memory and file descriptors, under prom-client's usual names", async () => {
    const metrics = new Metrics();
    const first = await metrics.render();
    busy(30);
    const second = await metrics.render();
    const cpu = "mcp_activity_process_cpu_seconds_total";
    expect(value(second, cpu)).toBeGreaterThan(value(first, cpu));
    expect(value(second, cpu)).toBeCloseTo(
      value(second, "mcp_activity_process_cpu_user_seconds_total") +
        value(second, "mcp_activity_process_cpu_system_seconds_total"),
      3,
    );
    expect(value(second, "mcp_activity_process_resident_memory_bytes")).toBeGreaterThan(1e6);
    expect(value(second, "mcp_activity_nodejs_heap_size_used_bytes")).toBeGreaterThan(0);
    expect(value(second, "mcp_activity_nodejs_heap_size_total_bytes")).toBeGreaterThanOrEqual(
      value(second, "mcp_activity_nodejs_heap_size_used_bytes"),
    );
    const started = value(second, "mcp_activity_process_start_time_seconds");
    expect(Math.abs(started - (Date.now() - process.uptime() * 1000) / 1000)).toBeLessThan(2);
    if (process.platform === "linux")
      expect(value(second, "mcp_activity_process_open_fds")).toBeGreaterThan(2);
    expect(second).toContain(`mcp_activity_nodejs_version_info{version="${process.version}",`);
    expect(second).toMatch(/# TYPE mcp_activity_nodejs_gc_duration_seconds histogram/);
  });

  it("reports the event loop's delay since the last scrape, and none when nothing was sampled", async () => {
    const metrics = new Metrics();
    await metrics.render();
    // The loop held 60 ms by a timer's callback: the delay monitor, sampling every 10 ms, sees it.
    await new Promise<void>((resolve) =>
      setTimeout(() => {
        busy(60);
        resolve();
      }, 25),
    );
    await new Promise((resolve) => setTimeout(resolve, 30));
    const held = await metrics.render();
    expect(value(held, "mcp_activity_nodejs_eventloop_lag_max_seconds")).toBeGreaterThan(0.03);
    expect(value(held, "mcp_activity_nodejs_eventloop_lag_p99_seconds")).toBeGreaterThan(0.03);
    // Right after: nothing sampled in between, so no delay (and no walk over an empty histogram).
    const next = await metrics.render();
    expect(value(next, "mcp_activity_nodejs_eventloop_lag_max_seconds")).toBe(0);
    expect(value(next, "mcp_activity_nodejs_eventloop_lag_p50_seconds")).toBe(0);
  });

  it("reports no delay for a loop that runs its timers on time", async () => {
    const metrics = new Metrics();
    await metrics.render();
    await new Promise((resolve) => setTimeout(resolve, 200)); // nothing runs meanwhile
    const idle = await metrics.render();
    // The monitor's samples are the whole time between its timer's runs, 10 ms when on time.
    expect(value(idle, "mcp_activity_nodejs_eventloop_lag_p50_seconds")).toBeLessThan(0.01);
  });
});

describe("the event loop's delay, from the monitor's samples", () => {
  it("is a sample less the monitor's resolution, and never below 0", () => {
    expect(loopDelaySeconds(10_076_159, 10)).toBeCloseTo(0.000076159, 9);
    expect(loopDelaySeconds(70_000_000, 10)).toBeCloseTo(0.06, 9);
    expect(loopDelaySeconds(9_990_000, 10)).toBe(0);
  });
});

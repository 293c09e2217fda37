import { describe, expect, it } from "vitest";
import { Metrics } from "../src/metrics.js";
import { openMetricsWarning } from "../src/metrics-access.js";
import { VirtualClock } from "./fakes/virtual-clock.js";

describe("Metrics", () => {
  it("reads what several gauges share once per scrape, and again at the next", async () => {
    const metrics = new Metrics();
    const clock = new VirtualClock(1_000_000);
    let outboxReads = 0;
    let pending = 2;
    metrics.watchOutbox(() => {
      outboxReads++;
      return {
        pendingByKind: { alert: pending },
        inFlight: 0,
        oldestPendingAt: clock.now() - 30_000,
        lastFailure: null,
      };
    }, clock);
    let pollerReads = 0;
    const polling = metrics.perScrape(() => {
      pollerReads++;
      return { lag: 7, stored: 100 * pollerReads };
    });
    metrics.watch({
      orgId: "org-1",
      lagSeconds: () => polling().lag,
      eventsStored: () => polling().stored,
      quarantined: () => 0,
      queueDepth: () => pending,
      alerts: () => [],
    });

    const first = await metrics.render();
    expect(outboxReads).toBe(1);
    expect(pollerReads).toBe(1);
    expect(first).toMatch(/mcp_activity_outbox_depth\{kind="alert"\} 2/);
    expect(first).toMatch(/mcp_activity_outbox_oldest_seconds 30/);
    expect(first).toMatch(/mcp_activity_events_stored\{org="org-1"\} 100/);

    pending = 5;
    const second = await metrics.render();
    expect(outboxReads).toBe(2);
    expect(pollerReads).toBe(2);
    expect(second).toMatch(/mcp_activity_outbox_depth\{kind="alert"\} 5/);
    expect(second).toMatch(/mcp_activity_events_stored\{org="org-1"\} 200/);
  });
});

describe("openMetricsWarning", () => {
  it("warns when /metrics answers beyond this machine with no token", () => {
    expect(openMetricsWarning("0.0.0.0", false)).toBe(
      "GET /metrics answers anyone who reaches 0.0.0.0: set METRICS_TOKEN, and let the reverse proxy expose only POST /slack/events",
    );
    expect(openMetricsWarning("10.0.0.5", false)).toContain("10.0.0.5");
    expect(openMetricsWarning("::", false)).toContain("METRICS_TOKEN");
    expect(openMetricsWarning("0.0.0.0", false, true)).toBe(
      "GET /metrics answers anyone who reaches 0.0.0.0: set METRICS_TOKEN, or keep the port off the network (Socket Mode needs no inbound route)",
    );
  });

  it("says nothing on this machine's own addresses, or with a token", () => {
    for (const host of ["127.0.0.1", "127.0.1.1", "localhost", "::1", "[::1]"])
      expect(openMetricsWarning(host, false)).toBeUndefined();
    expect(openMetricsWarning("0.0.0.0", true)).toBeUndefined();
  });
});

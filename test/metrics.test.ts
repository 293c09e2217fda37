import { describe, expect, it } from "vitest";
import { Metrics } from "../src/metrics.js";
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

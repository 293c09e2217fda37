/**
 * GET /metrics while the database cannot be read (a lock held past the busy timeout, an I/O
 * error): still 200 on 127.0.0.1, with what can be read, the process series among them, and
 * `mcp_activity_database_up 0`; the log says it once, and once more when it reads again.
 */
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { listen } from "../src/http-server.js";
import { Metrics } from "../src/metrics.js";
import { metricsHandler } from "../src/metrics-access.js";
import { VirtualClock } from "./fakes/virtual-clock.js";
import { closeAfterTest } from "./helpers/cleanup.js";
import { capturedLogger } from "./helpers/logs.js";

const LOCKED = new Database.SqliteError("database is locked", "SQLITE_BUSY");

describe("GET /metrics on a database that cannot be read", () => {
  it("answers 200 with what it can read and mcp_activity_database_up 0, logged once", async () => {
    const logs = capturedLogger("info");
    const metrics = new Metrics(logs.logger);
    const clock = new VirtualClock(1_000_000);
    let locked = false;
    const read = <T>(value: T) => {
      if (locked) throw LOCKED;
      return value;
    };
    metrics.watch({
      orgId: "org-1",
      lagSeconds: () => read(7),
      eventsStored: () => read(120),
      quarantined: () => read(0),
      queueDepth: () => read(1),
      alerts: () => read([{ ruleId: "first-use", severity: "medium", count: 3 }]),
    });
    const outbox = { pendingByKind: { alert: 1 }, inFlight: 0, lastFailure: null };
    metrics.watchOutbox(() => read({ ...outbox, oldestPendingAt: clock.now() - 30_000 }), clock);
    metrics.watchWorkers(() =>
      read([{ name: "poller", orgId: "org-1", ok: true, lastPassAt: null, lastError: null }]),
    );
    const server = await listen(0, { "/metrics": metricsHandler(metrics) }, "127.0.0.1");
    closeAfterTest(() => server.close());
    const scrape = () => fetch(`http://127.0.0.1:${server.port}/metrics`);

    const well = await scrape();
    expect(well.status).toBe(200);
    const before = await well.text();
    expect(before).toMatch(/^mcp_activity_database_up 1$/m);
    expect(before).toMatch(/^mcp_activity_events_stored\{org="org-1"\} 120$/m);

    locked = true;
    for (const _ of [1, 2]) {
      const answer = await scrape();
      expect(answer.status).toBe(200);
      const text = await answer.text();
      expect(text).toMatch(/^mcp_activity_database_up 0$/m);
      expect(text).toMatch(/^mcp_activity_process_resident_memory_bytes \d+$/m);
      expect(text).toMatch(/^mcp_activity_nodejs_heap_size_used_bytes \d+$/m);
      // What was read before is not shown as if read now.
      expect(text).not.toMatch(/^mcp_activity_events_stored\{/m);
      expect(text).not.toMatch(/^mcp_activity_alerts_stored\{/m);
      expect(text).not.toMatch(/^mcp_activity_worker_up\{/m);
      expect(text).toMatch(/^mcp_activity_outbox_oldest_seconds nan$/im);
    }
    const said = logs.lines().filter((l) => String(l.msg).startsWith("metrics: "));
    expect(said).toHaveLength(1);
    expect(said[0]?.level).toBe(50);
    expect(said[0]?.msg).toMatch(
      /^metrics: the database is locked by another process \(SQLITE_BUSY\): .+; \/metrics leaves out what is read from it$/,
    );

    locked = false;
    const again = await (await scrape()).text();
    expect(again).toMatch(/^mcp_activity_database_up 1$/m);
    expect(again).toMatch(/^mcp_activity_events_stored\{org="org-1"\} 120$/m);
    expect(
      logs
        .lines()
        .filter((l) => String(l.msg).startsWith("metrics: "))
        .at(-1),
    ).toMatchObject({ level: 30, msg: "metrics: the database is read again" });
  });
});

describe("a reading several gauges share, when it fails", () => {
  it("is tried once per scrape, not once per gauge", async () => {
    const metrics = new Metrics();
    let reads = 0;
    const polling = metrics.perScrape(() => {
      reads++;
      throw LOCKED;
    });
    metrics.watch({
      orgId: "org-1",
      lagSeconds: () => polling(),
      eventsStored: () => polling(),
      quarantined: () => polling(),
      queueDepth: () => 0,
      alerts: () => [],
    });
    expect(await metrics.render()).toMatch(/^mcp_activity_database_up 0$/m);
    expect(reads).toBe(1);
    await metrics.render();
    expect(reads).toBe(2);
  });
});

describe("two scrapes at once", () => {
  it("each say whether it read the database itself, not what the other met", async () => {
    const metrics = new Metrics(capturedLogger("info").logger);
    let reads = 0;
    const read = <T>(value: T) => {
      // The first scrape finds the database locked; the second reads it.
      if (++reads === 1) throw LOCKED;
      return value;
    };
    metrics.watch({
      orgId: "org-1",
      lagSeconds: () => 7,
      eventsStored: () => read(120),
      quarantined: () => 0,
      queueDepth: () => 1,
      alerts: () => [],
    });
    const [first, second] = await Promise.all([metrics.render(), metrics.render()]);
    expect(
      [first, second].map((text) => /^mcp_activity_database_up (\d)$/m.exec(text)?.[1]),
    ).toEqual(["0", "1"]);
    expect(second).toMatch(/^mcp_activity_events_stored\{org="org-1"\} 120$/m);
  });
});

import { describe, expect, it } from "vitest";
import { Pruner } from "../../src/retention/pruner.js";
import { repositories } from "../../src/store/repositories.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { capturedLogger } from "../helpers/logs.js";
import { DAY, NOW, retentionDb } from "./seed.js";

function pruner(
  s: ReturnType<typeof retentionDb>,
  clock: VirtualClock,
  batchSize?: number,
  exporting?: ReadonlySet<string>,
) {
  const logs = capturedLogger("info");
  const p = new Pruner({
    stores: repositories(s.db),
    clock,
    logger: logs.logger,
    retentionDays: 400,
    batchSize,
    exporting,
  });
  return {
    p,
    logs,
    prunes: () => logs.lines().filter((l) => String(l.msg).startsWith("retention:")),
  };
}

describe("pruner", () => {
  it("deletes in batches of 200 with a turn of the event loop between them, and logs one line", async () => {
    const s = retentionDb();
    s.addEvents(2500, 401);
    s.addEvents(7, 399);
    s.quarantine(3, 401);
    const { p, prunes } = pruner(s, new VirtualClock(NOW));

    let seenByOthers: number | undefined;
    setImmediate(() => {
      seenByOthers = s.count("events");
    });
    const result = await p.pruneOnce();

    expect(seenByOthers).toBe(2307); // one batch ran, then it let others in
    expect(result).toMatchObject({ events: 2500, quarantined: 3, before: NOW - 400 * DAY });
    expect(result.batches).toBe(14); // 12 × 200 + 100 events, then the quarantine
    expect(s.count("events")).toBe(7);
    expect(s.count("quarantined_events")).toBe(0);
    // Recorded for the answers that reach back past it.
    expect(repositories(s.db).prunedBefore.get("org-1")).toBe(NOW - 400 * DAY);
    expect(prunes()).toEqual([
      expect.objectContaining({
        eventsPruned: 2500,
        quarantinedPruned: 3,
        msg: "retention: pruned 2500 events and 3 quarantined items older than 400 days",
      }),
    ]);
  });

  it("keeps the MCP events the SIEM export has not delivered yet, whatever their age, and says so", async () => {
    const s = retentionDb();
    const seqs = s.addEvents(5, 401);
    s.addEvents(2, 1);
    repositories(s.db).export.commit(
      "org-1",
      { mcp_event: seqs[1] as number, alert: 0 },
      {
        at: NOW,
        to: "receiver",
      },
    );
    const { p, logs } = pruner(s, new VirtualClock(NOW), undefined, new Set(["org-1"]));
    const result = await p.pruneOnce();
    expect(result).toMatchObject({ events: 2, keptForExport: 3 });
    expect(s.count("events")).toBe(5);
    expect(logs.text()).toContain(
      "retention: kept 3 MCP events older than 400 days that the export has not delivered yet",
    );
    // For an organization the export does not deliver (no longer watched), the retention alone
    // decides, as it does without the export.
    const unwatched = pruner(s, new VirtualClock(NOW), undefined, new Set(["org-2"]));
    const without = await unwatched.p.pruneOnce();
    expect(without).toMatchObject({ events: 3, keptForExport: 0 });
    expect(s.count("events")).toBe(2);
  });

  it("prunes at start and then once a day, and stops when aborted", async () => {
    const s = retentionDb();
    s.addEvents(2, 401);
    s.addEvents(3, 399.5); // crosses the 400 days during the first day
    const clock = new VirtualClock(NOW);
    const { p, prunes } = pruner(s, clock);
    const stop = new AbortController();
    const loop = p.worker.run(stop.signal);
    while (prunes().length < 2) await new Promise((resolve) => setImmediate(resolve));
    stop.abort();
    await loop;

    expect(clock.sleeps.every((ms) => ms === DAY)).toBe(true);
    expect(
      prunes()
        .slice(0, 2)
        .map((l) => l.eventsPruned),
    ).toEqual([2, 3]);
    expect(s.count("events")).toBe(0);
    const seen = prunes().length;
    await new Promise((resolve) => setImmediate(resolve));
    expect(prunes()).toHaveLength(seen);
  });

  describe("records its cut before deleting", () => {
    /**
     * Events of 100, 60 and 10 days ago, and a pass at RETENTION_DAYS=30 (lowered by mistake)
     * that `end` ends at its first pause.
     */
    function endedPartWay(end: (s: ReturnType<typeof retentionDb>) => void) {
      const s = retentionDb();
      s.addEvents(5, 100);
      s.addEvents(5, 60);
      s.addEvents(5, 10);
      const stores = repositories(s.db);
      const pass = new Pruner({
        stores,
        clock: new VirtualClock(NOW),
        logger: capturedLogger("info").logger,
        retentionDays: 30,
        batchSize: 5,
        keepUp: async () => end(s),
      });
      return { s, stores, pass };
    }

    it("stopped part-way (SIGTERM), then run with RETENTION_DAYS raised, says the time it deleted", async () => {
      const stop = new AbortController();
      const { s, stores, pass } = endedPartWay(() => stop.abort());
      await pass.pruneOnce(stop.signal);
      expect(s.count("events")).toBe(5); // those of 100 and 60 days ago went
      // Started again with RETENTION_DAYS=400: its pass runs to its end.
      expect((await pruner(s, new VirtualClock(NOW + 60_000)).p.pruneOnce()).events).toBe(0);
      // An answer over the last 90 days says events were deleted there, not 80 quiet days.
      expect(stores.prunedBefore.within("org-1", NOW - 90 * DAY)).toBe(NOW - 30 * DAY);
    });

    it("failing after its first deletes, says the time it deleted", async () => {
      const { s, stores, pass } = endedPartWay((seeded) =>
        seeded.db.exec("DROP TABLE detection_state"),
      );
      await expect(pass.pruneOnce()).rejects.toThrow(/no such table/);
      expect(s.count("events")).toBe(10);
      expect(stores.prunedBefore.within("org-1", NOW - 90 * DAY)).toBe(NOW - 30 * DAY);
    });
  });

  it("logs a failure and tries again the next day", async () => {
    const s = retentionDb();
    s.addEvents(1, 401);
    const clock = new VirtualClock(NOW);
    const { p, logs } = pruner(s, clock);
    s.db.exec("DROP TABLE quarantined_events");
    const stop = new AbortController();
    const loop = p.worker.run(stop.signal);
    while (clock.sleeps.length < 2) await new Promise((resolve) => setImmediate(resolve));
    stop.abort();
    await loop;
    // Said once while it lasts: the next day's same failure is at debug.
    const failures = logs.lines().filter((l) => l.level === 50);
    expect(failures).toHaveLength(1);
    expect(String(failures[0]?.msg)).toMatch(
      /^retention: pruning failed: .*; trying again in a day$/,
    );
    expect(clock.sleeps.length).toBeGreaterThanOrEqual(2);
  });

  it("failed by the database, says it tries again in 5 minutes, and does", async () => {
    const s = retentionDb();
    s.addEvents(5, 401);
    const clock = new VirtualClock(NOW);
    const { p, logs } = pruner(s, clock);
    s.db.pragma("query_only = ON"); // cannot be written: a full disk says the same
    const stop = new AbortController();
    const loop = p.worker.run(stop.signal);
    while (clock.sleeps.length === 0) await new Promise((resolve) => setImmediate(resolve));
    stop.abort();
    await loop;
    expect(clock.sleeps[0]).toBe(5 * 60_000);
    const said = logs.lines().filter((l) => l.level === 50);
    expect(String(said[0]?.msg)).toMatch(
      /^retention: pruning failed: the database cannot be written \(SQLITE_READONLY\): .*; trying again in 5 minutes$/,
    );
  });
});

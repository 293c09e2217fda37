import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DigestScheduler, onDemandOfAll, scheduledTimes } from "../../src/digest/schedule.js";
import { DigestRecordStore } from "../../src/store/digests.js";
import { openStore } from "../../src/store/open.js";
import { PollStateStore } from "../../src/store/poll-state.js";
import { repositories } from "../../src/store/repositories.js";
import { DAY } from "../../src/time-units.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { capturedLogger } from "../helpers/logs.js";
import { tempDir } from "../helpers/tmp.js";

/** 2026-11-24 07:30 UTC = 08:30 in Berlin. */
const START = Date.UTC(2026, 10, 24, 7, 30);

function setup(
  path = join(tempDir(), "digest.db"),
  firstStart = START - 3 * DAY,
  cron = "0 9 * * *",
  timeZone = "Europe/Berlin",
) {
  const db = openStore(path);
  new PollStateStore(db).save(
    {
      orgId: "org-1",
      cursor: null,
      lastProcessedAt: null,
      backfillFrom: firstStart - 7 * DAY,
      backfillUntil: firstStart,
      backfillDone: true,
    },
    firstStart,
  );
  const records = new DigestRecordStore(db);
  const log = capturedLogger();
  const scheduler = (clock: VirtualClock) =>
    new DigestScheduler({
      stores: repositories(db),
      clock,
      logger: log.logger,
      orgId: "org-1",
      cron,
      timeZone,
      health: () => ({ lagSeconds: 0, quarantined: 0, keyRejected: false, lastError: null }),
    });
  const daily = () => records.list("org-1").filter((r) => r.kind === "daily");
  return { db, path, records, scheduler, daily, log };
}

describe("digest schedule", () => {
  it("computes the scheduled times in the configured zone, across DST", () => {
    expect(scheduledTimes("0 9 * * *", "Europe/Berlin", START)).toEqual({
      previous: Date.UTC(2026, 10, 23, 8),
      next: Date.UTC(2026, 10, 24, 8),
    });
    expect(scheduledTimes("0 9 * * *", "Europe/Berlin", Date.UTC(2026, 6, 1, 12)).previous).toBe(
      Date.UTC(2026, 6, 1, 7),
    );
  });

  it("creates the day's digest at 09:00 Berlin, once, for the 24 hours before", async () => {
    const s = setup();
    const clock = new VirtualClock(START);
    const scheduler = s.scheduler(clock);
    await scheduler.catchUp(); // the previous 09:00 (yesterday) was missed while down
    expect(s.daily().map((d) => [d.periodEnd, d.late])).toEqual([
      [Date.UTC(2026, 10, 23, 8), true],
    ]);
    const stop = new AbortController();
    const loop = scheduler.worker.run(stop.signal);
    while (clock.now() < Date.UTC(2026, 10, 24, 8, 5))
      await new Promise((resolve) => setImmediate(resolve));
    stop.abort();
    await loop;
    const today = s.daily().at(-1);
    expect(today).toMatchObject({
      periodStart: Date.UTC(2026, 10, 23, 8),
      periodEnd: Date.UTC(2026, 10, 24, 8),
      late: false,
    });
    expect(s.daily()).toHaveLength(2);
    expect(s.records.list("org-1").filter((r) => r.kind === "backfill")).toHaveLength(1);
  });

  it("that cannot be written says why and what to do, as the database's problem", async () => {
    const s = setup();
    const clock = new VirtualClock(START);
    const scheduler = s.scheduler(clock);
    clock.advance(Date.UTC(2026, 10, 24, 8, 1) - START);
    s.db.pragma("query_only = ON"); // the database cannot be written
    expect(await scheduler.tick()).toEqual({
      failed:
        "the database cannot be written (SQLITE_READONLY): check that DATABASE_PATH and its folder are writable by this process",
      kind: "database",
    });
  });

  it("says a failure that lasts once, at error, and its end", async () => {
    const s = setup();
    const clock = new VirtualClock(START);
    const scheduler = s.scheduler(clock);
    clock.advance(Date.UTC(2026, 10, 24, 8, 1) - START);
    s.db.pragma("query_only = ON");
    for (let minute = 0; minute < 5; minute++) {
      expect(await scheduler.tick()).toMatchObject({ kind: "database" });
      clock.advance(60_000);
    }
    s.db.pragma("query_only = OFF");
    expect(await scheduler.tick()).toBeUndefined();
    expect(await scheduler.tick()).toBeUndefined();
    const said = (level: number) =>
      s.log
        .lines()
        .filter((l) => l.level === level && String(l.msg).startsWith("the daily digest"))
        .map((l) => l.msg);
    expect(said(50)).toEqual([
      "the daily digest could not be prepared: the database cannot be written (SQLITE_READONLY): check that DATABASE_PATH and its folder are writable by this process",
    ]);
    expect(said(20)).toHaveLength(4);
    expect(said(30)).toEqual(["the daily digest can be prepared again"]);
    expect(s.daily().at(-1)?.periodEnd).toBe(Date.UTC(2026, 10, 24, 8));
  });

  it("does not create a period twice across a restart at 09:00:30", async () => {
    const s = setup();
    const at = Date.UTC(2026, 10, 24, 8, 0, 30);
    await s.scheduler(new VirtualClock(at)).catchUp();
    await s.scheduler(new VirtualClock(at + 1_000)).catchUp();
    expect(s.daily().filter((d) => d.periodEnd === Date.UTC(2026, 10, 24, 8))).toHaveLength(1);
    expect(s.daily().at(-1)?.late).toBe(false);
  });

  it("catches up only the last missed digest after days down, never a flood", async () => {
    const s = setup();
    await s.scheduler(new VirtualClock(START + 2 * DAY)).catchUp();
    expect(s.daily().map((d) => d.periodEnd)).toEqual([Date.UTC(2026, 10, 25, 8)]);
  });

  it("after days down, the late digest starts where the last one ended: no gap, no overlap", async () => {
    const s = setup();
    await s.scheduler(new VirtualClock(Date.UTC(2026, 10, 24, 8, 1))).catchUp(); // 24th, on time
    await s.scheduler(new VirtualClock(Date.UTC(2026, 10, 27, 14))).catchUp(); // down until the 27th
    expect(s.daily().map((d) => [d.periodStart, d.periodEnd, d.late])).toEqual([
      [Date.UTC(2026, 10, 23, 8), Date.UTC(2026, 10, 24, 8), false],
      [Date.UTC(2026, 10, 24, 8), Date.UTC(2026, 10, 27, 8), true],
    ]);
  });

  it("a Monday digest of a Monday–Friday cron covers the weekend", async () => {
    const s = setup(undefined, START - 10 * DAY, "0 9 * * 1-5");
    const friday = Date.UTC(2026, 10, 20, 8);
    const monday = Date.UTC(2026, 10, 23, 8);
    await s.scheduler(new VirtualClock(friday + 60_000)).catchUp();
    const clock = new VirtualClock(monday - 60_000);
    const scheduler = s.scheduler(clock);
    clock.advance(2 * 60_000);
    await scheduler.tick();
    expect(s.daily().map((d) => [d.periodStart, d.periodEnd])).toEqual([
      [Date.UTC(2026, 10, 19, 8), friday],
      [friday, monday],
    ]);
  });

  it("each day's digest starts where the one before ended, across the night the clocks go back", async () => {
    // Berlin leaves summer time on Sunday 25 October 2026: that day's period lasts 25 hours.
    const s = setup(undefined, Date.UTC(2026, 9, 20));
    const clock = new VirtualClock(Date.UTC(2026, 9, 23, 12));
    const scheduler = s.scheduler(clock);
    await scheduler.catchUp();
    for (const day of [24, 25, 26, 27]) {
      clock.advance(Date.UTC(2026, 9, day, 9) - clock.now()); // past 09:00 in either offset
      await scheduler.tick();
    }
    const periods = s.daily().map((d) => [d.periodStart, d.periodEnd]);
    expect(periods).toEqual([
      [Date.UTC(2026, 9, 22, 7), Date.UTC(2026, 9, 23, 7)], // caught up on start
      [Date.UTC(2026, 9, 23, 7), Date.UTC(2026, 9, 24, 7)],
      [Date.UTC(2026, 9, 24, 7), Date.UTC(2026, 9, 25, 8)], // 09:00 CEST → 09:00 CET: 25 h
      [Date.UTC(2026, 9, 25, 8), Date.UTC(2026, 9, 26, 8)],
      [Date.UTC(2026, 9, 26, 8), Date.UTC(2026, 9, 27, 8)],
    ]);
  });

  it("finds the time before across the hour the clocks skip, where cron-parser's prev() does not", () => {
    // Chile skips from 00:00 to 01:00 on 6 September 2026: midnight that day is 01:00 (-03).
    const santiago = (now: number) => scheduledTimes("0 0 * * *", "America/Santiago", now);
    expect(santiago(Date.UTC(2026, 8, 6, 12))).toEqual({
      previous: Date.UTC(2026, 8, 6, 4),
      next: Date.UTC(2026, 8, 7, 3),
    });
    expect(santiago(Date.UTC(2026, 8, 7, 2)).previous).toBe(Date.UTC(2026, 8, 6, 4));
    // Berlin skips from 02:00 to 03:00 on 29 March 2026: 02:30 that day is 03:30 (+02).
    const berlin = (now: number) => scheduledTimes("30 2 * * *", "Europe/Berlin", now);
    expect(berlin(Date.UTC(2026, 2, 29, 12)).previous).toBe(Date.UTC(2026, 2, 29, 1, 30));
    expect(berlin(Date.UTC(2026, 2, 30, 12)).previous).toBe(Date.UTC(2026, 2, 30, 0, 30));
    // A weekly and a yearly time go back as far as they need.
    expect(scheduledTimes("0 10 * * MON", "UTC", Date.UTC(2026, 11, 4)).previous).toBe(
      Date.UTC(2026, 10, 30, 10),
    );
    expect(scheduledTimes("0 9 29 2 *", "UTC", Date.UTC(2026, 11, 4)).previous).toBe(
      Date.UTC(2024, 1, 29, 9),
    );
  });

  it("each day's digest starts where the one before ended, across a digest time the clocks skip", async () => {
    const s = setup(undefined, Date.UTC(2026, 2, 20), "30 2 * * *");
    const clock = new VirtualClock(Date.UTC(2026, 2, 27, 12));
    const scheduler = s.scheduler(clock);
    await scheduler.catchUp();
    for (const day of [28, 29, 30]) {
      clock.advance(Date.UTC(2026, 2, day, 2) - clock.now()); // past 02:30 in either offset
      await scheduler.tick();
    }
    expect(s.daily().map((d) => (d.periodEnd - d.periodStart) / 3_600_000)).toEqual([
      24, 24, 24, 23,
    ]);
  });

  it("a midnight digest where the clocks skip midnight (Chile): posted at 01:00, nothing stops", async () => {
    const s = setup(undefined, Date.UTC(2026, 8, 1), "0 0 * * *", "America/Santiago");
    const clock = new VirtualClock(Date.UTC(2026, 8, 5, 12));
    const scheduler = s.scheduler(clock);
    await scheduler.catchUp();
    const stop = new AbortController();
    const loop = scheduler.worker.run(stop.signal);
    while (clock.now() < Date.UTC(2026, 8, 7, 12)) {
      await new Promise((resolve) => setImmediate(resolve));
      clock.advance(10 * 60_000);
    }
    stop.abort();
    await loop;
    expect(s.daily().map((d) => [d.periodStart, d.periodEnd])).toEqual([
      [Date.UTC(2026, 8, 4, 4), Date.UTC(2026, 8, 5, 4)], // caught up on start
      [Date.UTC(2026, 8, 5, 4), Date.UTC(2026, 8, 6, 4)], // midnight is 01:00 -03: 24 h
      [Date.UTC(2026, 8, 6, 4), Date.UTC(2026, 8, 7, 3)], // 23 h
    ]);
    expect(scheduler.worker.health().ok).toBe(true);
  });

  it("a digest on demand covers the last 24 hours and leaves the schedule alone", async () => {
    const s = setup();
    const clock = new VirtualClock(Date.UTC(2026, 10, 24, 8, 1));
    const scheduler = s.scheduler(clock);
    await scheduler.catchUp();
    clock.advance(3 * 3_600_000);
    expect(await scheduler.now()).toBe("queued");
    const onDemand = s.records.list("org-1").filter((r) => r.kind === "on-demand");
    expect(onDemand.map((d) => [d.periodStart, d.periodEnd])).toEqual([
      [clock.now() - DAY, clock.now()],
    ]);
    expect(s.records.lastEnd("org-1", "daily", Date.UTC(2026, 10, 25, 8))).toBe(
      Date.UTC(2026, 10, 24, 8),
    );
  });

  it("posts no daily digest for a time before the first start: the backfill summary takes its place", async () => {
    const s = setup(undefined, START);
    await s.scheduler(new VirtualClock(START + 20 * 60_000)).catchUp(); // 08:50 Berlin: the last 09:00 was before the first start
    expect(s.daily()).toEqual([]);
  });

  it("posts no digest due while the first poll still reads the history: its summary follows instead", async () => {
    const s = setup(undefined, START);
    const states = new PollStateStore(s.db);
    const reading = states.get("org-1");
    if (!reading) throw new Error("no poll state");
    states.save({ ...reading, backfillDone: false }, START);
    const clock = new VirtualClock(START); // 08:30 Berlin, the backfill running
    const scheduler = s.scheduler(clock);
    clock.advance(31 * 60_000); // 09:01: the day's digest is due, the history half read
    await scheduler.tick();
    expect(s.records.list("org-1")).toEqual([]);
    states.save({ ...reading, backfillDone: true }, clock.now()); // the backfill is done
    clock.advance(60_000);
    await scheduler.tick();
    expect(s.records.list("org-1").map((r) => r.kind)).toEqual(["backfill"]);
    clock.advance(DAY);
    await scheduler.tick();
    // The first daily digest starts where the summary ends: the first start, not the skipped 09:00.
    expect(s.daily().map((d) => [d.periodStart, d.periodEnd])).toEqual([
      [START, Date.UTC(2026, 10, 25, 8)],
    ]);
  });
});

describe("a digest asked for now (the demo's `digest` line)", () => {
  it("is not made while the first poll reads the history, then is", async () => {
    const { db, records, scheduler } = setup();
    const states = new PollStateStore(db);
    const state = states.get("org-1");
    if (!state) throw new Error("no poll state");
    states.save({ ...state, backfillDone: false }, START);
    const clock = new VirtualClock(START);
    expect(await scheduler(clock).now()).toBe("backfilling");
    expect(records.list("org-1").filter((r) => r.kind === "on-demand")).toEqual([]);

    states.save({ ...state, backfillDone: true }, START);
    expect(await scheduler(clock).now()).toBe("queued");
    expect(await scheduler(clock).now()).toBe("exists");
    expect(records.list("org-1").filter((r) => r.kind === "on-demand")).toHaveLength(1);
  });
});

describe("digests asked of several organizations at once", () => {
  it("are said as the most telling outcome: one queued, else one not made yet", () => {
    expect(onDemandOfAll(["exists", "queued", "backfilling"])).toBe("queued");
    expect(onDemandOfAll(["exists", "backfilling"])).toBe("backfilling");
    expect(onDemandOfAll(["exists", "exists"])).toBe("exists");
    expect(onDemandOfAll([])).toBe("exists");
  });
});

/**
 * Schedules in zones whose clocks change oddly: Australia/Lord_Howe goes back by half an hour on
 * Sunday 5 April 2026 (cron-parser's walk across it loops out), Antarctica/Troll by two hours on
 * 25 October 2026 (02:30 happens twice). Each day's digest, once.
 */
import { describe, expect, it } from "vitest";
import { scheduledTimes } from "../../src/digest/schedule.js";
import { DAY } from "../../src/time-units.js";
import { dayOf } from "../../src/time-zone.js";
import { dailyScheduler, times } from "./clock-rig.js";

const LORD_HOWE = "Australia/Lord_Howe";

describe("a schedule across Lord Howe's half-hour change of the clocks", () => {
  it("finds the times before and after it, each day's at 09:00", () => {
    // Saturday 4 April 09:00:30 (+11); the clocks go back to +10:30 at 02:00 on Sunday.
    const at = Date.UTC(2026, 3, 3, 22, 0, 30);
    expect(scheduledTimes("0 9 * * *", LORD_HOWE, at)).toEqual({
      previous: Date.UTC(2026, 3, 3, 22),
      next: Date.UTC(2026, 3, 4, 22, 30),
    });
    const days = times("0 9 * * *", LORD_HOWE, Date.UTC(2026, 3, 1), Date.UTC(2026, 3, 8));
    expect(days).toEqual([2, 3, 4, 5, 6, 7, 8].map((d) => `2026-04-0${d} 09:00`));
  });

  it("finds a time the clocks repeat once, and the one before the change", () => {
    const from = Date.UTC(2026, 3, 3);
    expect(times("45 1 * * *", LORD_HOWE, from, from + 3 * DAY)).toEqual([
      "2026-04-04 01:45",
      "2026-04-05 01:45",
      "2026-04-06 01:45",
    ]);
    expect(times("0 1 * * *", LORD_HOWE, from, from + 3 * DAY)).toEqual([
      "2026-04-04 01:00",
      "2026-04-05 01:00",
      "2026-04-06 01:00",
    ]);
  });

  it("makes each day's digest, the days around the change included", async () => {
    const o = { cron: "0 9 * * *", timeZone: LORD_HOWE };
    const { scheduler, clock, log, records } = await dailyScheduler(
      o.cron,
      o.timeZone,
      Date.UTC(2026, 3, 1, 12),
      Date.UTC(2026, 2, 20),
    );
    // The loop wakes at each time of the schedule, for a week.
    for (;;) {
      const { next } = scheduledTimes(o.cron, o.timeZone, clock.now());
      if (next > Date.UTC(2026, 3, 8, 12)) break;
      clock.advance(next + 1_000 - clock.now());
      expect(await scheduler.tick()).toBeUndefined();
    }
    const days = records().map((r) => dayOf(r.periodEnd, LORD_HOWE));
    expect(days).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((d) => `2026-04-0${d}`));
    expect(log.text()).not.toContain("loop limit");
  });
});

describe("a schedule at a time the clocks repeat, going back two hours (Antarctica/Troll)", () => {
  it("has one time that day: the first", () => {
    const zone = "Antarctica/Troll";
    const from = Date.UTC(2026, 9, 23);
    expect(times("30 2 * * *", zone, from, from + 4 * DAY)).toEqual([
      "2026-10-23 02:30",
      "2026-10-24 02:30",
      "2026-10-25 02:30",
      "2026-10-26 02:30",
    ]);
    // The first: 02:30 at +02, 00:30 UTC.
    expect(scheduledTimes("30 2 * * *", zone, Date.UTC(2026, 9, 24, 12)).next).toBe(
      Date.UTC(2026, 9, 25, 0, 30),
    );
  });
});

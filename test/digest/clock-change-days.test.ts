/**
 * Each day's digest time, once, around every change of the clocks of 2026 in zones whose changes
 * are odd: midnight repeated (Atlantic/Azores, America/Havana), a change across midnight
 * (America/Nuuk, America/Scoresbysund), half an hour (Australia/Lord_Howe), two hours back
 * (Antarctica/Troll), 45 minutes off the hour (Pacific/Chatham), Ramadan's (Africa/Casablanca).
 * A time the clocks skip comes as much later as they jump; a time they repeat, at its first reading.
 */
import { describe, expect, it } from "vitest";
import { cronTimes } from "../../src/digest/cron-times.js";
import { scheduledTimes } from "../../src/digest/schedule.js";
import { DAY, HOUR } from "../../src/time-units.js";
import { addDays, dayOf, offsetAt, wallTime } from "../../src/time-zone.js";
import { dailyScheduler, times } from "./clock-rig.js";

const ZONES = [
  "Europe/Berlin",
  "America/New_York",
  "America/Santiago",
  "America/St_Johns",
  "Atlantic/Azores",
  "America/Havana",
  "America/Nuuk",
  "America/Scoresbysund",
  "Australia/Lord_Howe",
  "Antarctica/Troll",
  "Pacific/Chatham",
  "Africa/Casablanca",
];

/** The hours of 2026 at whose end `zone`'s offset has changed. */
function changesOf2026(zone: string): number[] {
  const found: number[] = [];
  for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += HOUR)
    if (offsetAt(t, zone) !== offsetAt(t + HOUR, zone)) found.push(t + HOUR);
  return found;
}

/**
 * The instant of `hh:mm` on the local day `day`, as the docs say it: its first reading; where the
 * clocks skip it, the reading in the offset before the jump (as much later as they jump).
 */
function meant(day: string, hh: number, mm: number, zone: string): number {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  const before = offsetAt(wall - DAY, zone);
  const offsets = [before, offsetAt(wall, zone), offsetAt(wall + DAY, zone)];
  const readings = offsets
    .map((o) => wall - o)
    .filter((t) => offsetAt(t, zone) === wall - t)
    .sort((a, b) => a - b);
  return readings[0] ?? wall - before;
}

/** The times `cronTimes` gives after `from` up to `until`. */
function given(cron: string, zone: string, from: number, until: number): number[] {
  const next = cronTimes(cron, zone, from);
  const out: number[] = [];
  for (let at = next(); at <= until; at = next()) out.push(at);
  return out;
}

describe("a daily time around each change of the clocks of 2026", () => {
  it.each(ZONES)("%s: each day's time once, where the docs say", (zone) => {
    const changes = changesOf2026(zone);
    expect(changes.length, `${zone} changes its clocks in 2026`).toBeGreaterThan(0);
    for (const change of changes) {
      const from = change - 36 * HOUR;
      const until = change + 36 * HOUR;
      const first = dayOf(change - 2 * DAY, zone);
      const days = [0, 1, 2, 3, 4].map((n) => addDays(first, n));
      for (let minutes = 0; minutes < 24 * 60; minutes += 30) {
        const [hh, mm] = [Math.floor(minutes / 60), minutes % 60];
        const expected = days
          .map((day) => meant(day, hh, mm, zone))
          .filter((t) => t > from && t <= until);
        const got = given(`${mm} ${hh} * * *`, zone, from, until);
        expect(
          got.map((t) => wallTime(t, zone)),
          `${zone} ${hh}:${String(mm).padStart(2, "0")} around ${new Date(change).toISOString()}`,
        ).toEqual(expected.map((t) => wallTime(t, zone)));
        expect(got).toEqual(expected);
      }
    }
  });
});

describe("the days the clocks change, as the scheduler sees them", () => {
  it("Azores, 00:00: 25 October 2026 (midnight read twice) has its time, at the first midnight", () => {
    const zone = "Atlantic/Azores";
    expect(times("0 0 * * *", zone, Date.UTC(2026, 9, 23), Date.UTC(2026, 9, 27))).toEqual([
      "2026-10-24 00:00",
      "2026-10-25 00:00",
      "2026-10-26 00:00",
    ]);
    expect(scheduledTimes("0 0 * * *", zone, Date.UTC(2026, 9, 25, 0, 30)).previous).toBe(
      Date.UTC(2026, 9, 25),
    );
  });

  it("Nuuk, 22:00: 28 March 2026 has it (the clocks skip 23:00 to midnight)", () => {
    const zone = "America/Nuuk";
    expect(times("0 22 * * *", zone, Date.UTC(2026, 2, 27), Date.UTC(2026, 2, 30))).toEqual([
      "2026-03-27 22:00",
      "2026-03-28 22:00",
      "2026-03-29 22:00",
    ]);
  });

  it("Lord Howe, 02:00: on 4 October 2026 (02:00 skipped to 02:30) it comes at 02:30", () => {
    const zone = "Australia/Lord_Howe";
    expect(times("0 2 * * *", zone, Date.UTC(2026, 9, 2), Date.UTC(2026, 9, 5))).toEqual([
      "2026-10-03 02:00",
      "2026-10-04 02:30",
      "2026-10-05 02:00",
    ]);
  });

  it("New York, 02:30: from 03:10 on 8 March 2026, the next time is that day's 03:30", () => {
    const zone = "America/New_York";
    const at = Date.UTC(2026, 2, 8, 7, 10); // 03:10 EDT, the skipped 02:30 still to come
    expect(wallTime(scheduledTimes("30 2 * * *", zone, at).next, zone)).toBe("2026-03-08 03:30");
  });

  it("makes the Azores' digests of 24, 25 and 24 hours around 25 October 2026", async () => {
    const zone = "Atlantic/Azores";
    const start = Date.UTC(2026, 9, 23, 12);
    const { scheduler, clock, records } = await dailyScheduler(
      "0 0 * * *",
      zone,
      start,
      start - 10 * DAY,
    );
    // The loop wakes at least once a minute.
    while (clock.now() < Date.UTC(2026, 9, 27, 12)) {
      clock.advance(60_000);
      expect(await scheduler.tick()).toBeUndefined();
    }
    const periods = records().map(
      (r) => `${wallTime(r.periodStart, zone)} → ${wallTime(r.periodEnd, zone)}`,
    );
    // The catch-up of the day before the start, then one a day; 25 October lasts 25 hours.
    expect(periods).toEqual([
      "2026-10-22 00:00 → 2026-10-23 00:00",
      "2026-10-23 00:00 → 2026-10-24 00:00",
      "2026-10-24 00:00 → 2026-10-25 00:00",
      "2026-10-25 00:00 → 2026-10-26 00:00",
      "2026-10-26 00:00 → 2026-10-27 00:00",
    ]);
  });
});

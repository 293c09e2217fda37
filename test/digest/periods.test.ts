import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  buildWeeklyDigest,
  outcomeLine,
  trendOf,
  trendStarts,
} from "../../src/digest/build-weekly.js";
import {
  bucketWidth,
  comparedSince,
  periodStart,
  scheduledPeriodStart,
  scheduledTimes,
} from "../../src/digest/periods.js";
import type { WeeklyData } from "../../src/domain/digest.js";
import { openStore } from "../../src/store/open.js";
import { repositories } from "../../src/store/repositories.js";
import { HOUR } from "../../src/time-units.js";
import { wallClock } from "../../src/time-zone.js";
import { normalizedEvent } from "../detect/fixtures.js";
import { tempDir } from "../helpers/tmp.js";
import { DAY, digestData, T } from "./fixtures.js";

describe("digest periods", () => {
  const friday = Date.UTC(2026, 10, 20, 9);
  const monday = Date.UTC(2026, 10, 23, 9);

  it("a period starts at the cron's time before it, or where the last digest ended", () => {
    expect(periodStart("0 9 * * 1-5", "UTC", monday, undefined)).toBe(friday);
    expect(periodStart("0 9 * * *", "UTC", monday, friday)).toBe(friday); // the bot was down
    expect(periodStart("0 9 * * *", "UTC", monday, monday)).toBe(monday - DAY); // never empty
  });

  it("the first scheduled digest after the first start starts there when it would start before the history was read, or after the summary it takes up from", () => {
    const start = (at: number, afterSummary: boolean, lastEnd?: number, readAt = at + HOUR) =>
      scheduledPeriodStart("0 9 * * *", "UTC", monday, lastEnd, { at, readAt, afterSummary });
    const ten = monday - DAY + HOUR; // a first start an hour after the digest's time
    expect(start(ten, true)).toBe(ten); // the daily digest after the summary
    expect(start(ten, false)).toBe(monday - DAY); // no summary to take up from
    // The history read for three days: the digests due then were not made.
    expect(start(friday, false, undefined, monday - HOUR)).toBe(friday);
    expect(start(friday, false, undefined, friday + HOUR)).toBe(monday - DAY); // read long before
    // Ending before the history was read: the bot makes none; a preview shows its usual period.
    expect(start(ten, true, undefined, monday + HOUR)).toBe(monday - DAY);
    expect(start(ten, true, monday - DAY)).toBe(monday - DAY); // not the first
  });

  it("compares a day with the day before, a weekend with the weekend before, a week with the week before", () => {
    expect(comparedSince(monday - DAY, monday)).toBe(monday - 2 * DAY);
    expect(comparedSince(monday - DAY - HOUR, monday)).toBe(monday - 2 * DAY - 2 * HOUR); // DST
    expect(comparedSince(friday, monday)).toBe(friday - 7 * DAY);
    expect(comparedSince(monday - 7 * DAY, monday)).toBe(monday - 14 * DAY);
  });

  it("widens the chart's bars with the period: never more than 30", () => {
    const width = (hours: number) => bucketWidth(0, hours * HOUR) / HOUR;
    expect([24, 25, 30, 48, 72, 168, 336, 24 * 90].map(width)).toEqual([1, 1, 1, 2, 3, 6, 12, 72]);
  });
});

function week(overrides: Partial<WeeklyData> = {}): WeeklyData {
  const since = T - 7 * DAY;
  return {
    ...digestData({
      since,
      previousSince: since - 7 * DAY,
      bucketMs: 6 * HOUR,
      buckets: Array.from({ length: 28 }, (_, i) => ({
        start: since + i * 6 * HOUR,
        read: i < 4 ? 1 : 0,
        search: 0,
        write: 0,
        destructive: i >= 24 ? 2 : 0,
        admin: 0,
        other: 0,
      })),
    }),
    callsPerDay: [4, 0, 0, 0, 0, 0, 8],
    newTools: [{ key: "deleteConfluencePage", calls: 3, people: 2 }],
    newSites: [{ key: "<!here>.atlassian.net", calls: 1, people: 1 }],
    ruleOutcomes: [
      {
        ruleId: "mcp-write",
        raised: 10,
        truePositive: 1,
        expected: 7,
        acknowledged: 1,
        open: 1,
        unposted: 0,
      },
    ],
    ...overrides,
  };
}

describe("weekly digest builder", () => {
  it("shows the trend by day in the digest's zone, against the week before", () => {
    // T is Wednesday 25 November 09:00 UTC: the week starts on a Wednesday.
    expect(trendOf(week(), "UTC")).toEqual([
      { label: "Wed", calls: 4 },
      { label: "Thu", calls: 0 },
      { label: "Fri", calls: 0 },
      { label: "Sat", calls: 0 },
      { label: "Sun", calls: 0 },
      { label: "Mon", calls: 0 },
      { label: "Tue", calls: 8 },
    ]);
    const text = JSON.stringify(buildWeeklyDigest(week(), { late: false, timeZone: "UTC" }));
    expect(text).toContain("*120* MCP calls (▲20%) · *6* people (▼25%)");
    expect(text).toContain("Wed 4 · Thu 0 · Fri 0 · Sat 0 · Sun 0 · Mon 0 · Tue 8 (calls per day)");
    // Not against a week before that retention deleted part of.
    const cut = week().since - DAY;
    const deleted = JSON.stringify(
      buildWeeklyDigest(week(), { late: false, timeZone: "UTC", deletedBefore: cut }),
    );
    expect(deleted).toContain("*120* MCP calls · *6* people · *");
    expect(deleted).not.toContain("against the week before");
    expect(deleted).toContain("No change shown");
  });

  it.each([
    // Chile leaves summer time on Sunday 5 April 2026 at 00:00 (back to Saturday 23:00).
    [
      "0 0 * * 1",
      "America/Santiago",
      Date.UTC(2026, 3, 7),
      ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    ],
    // Berlin leaves summer time on Sunday 25 October 2026: a Friday-midnight weekly digest.
    [
      "0 0 * * 5",
      "Europe/Berlin",
      Date.UTC(2026, 9, 31),
      ["Fri", "Sat", "Sun", "Mon", "Tue", "Wed", "Thu"],
    ],
  ])("names each day of a %s week in %s once, across a clock change", (cron, zone, after, days) => {
    const until = scheduledTimes(cron, zone, after).previous;
    const since = scheduledTimes(cron, zone, until).previous;
    const bucketMs = bucketWidth(since, until);
    const trend = trendOf(week({ since, until, bucketMs }), zone);
    expect(trend.map((t) => t.label)).toEqual(days);
    // Each day starts at the digest's local time, a day after the one before.
    const starts = trendStarts(since, until, bucketMs, zone);
    expect(starts.map((s) => wallClock(s, zone).hour)).toEqual(days.map(() => 0));
  });

  it("counts each day's calls over the day itself, 25 hours long when the clocks go back", () => {
    const db = openStore(join(tempDir(), "w.db"));
    const stores = repositories(db);
    // Mondays 09:00 in Berlin: 19 Oct 09:00 CEST (07:00 UTC) to 26 Oct 09:00 CET (08:00 UTC).
    const since = Date.UTC(2026, 9, 19, 7);
    const until = Date.UTC(2026, 9, 26, 8);
    const e = normalizedEvent();
    const calls = [
      Date.UTC(2026, 9, 25, 7, 30), // Sunday 08:30 CET: Saturday's day (it ends at 09:00)
      Date.UTC(2026, 9, 25, 9), // Sunday 10:00 CET: Sunday's
      Date.UTC(2026, 9, 26, 7, 59), // Monday 08:59 CET: still Sunday's
    ];
    stores.events.insertMany(
      calls.map((time, i) => ({ ...e, id: `c-${i}`, time })),
      until,
    );
    const bucketMs = bucketWidth(since, until);
    const starts = trendStarts(since, until, bucketMs, "Europe/Berlin");
    const callsPerDay = stores.weeklyFigures.callsPerWindow("org-1", starts, until);
    const trend = trendOf(week({ since, until, bucketMs, callsPerDay }), "Europe/Berlin");
    expect(trend.map((t) => `${t.label} ${t.calls}`)).toEqual([
      "Mon 0",
      "Tue 0",
      "Wed 0",
      "Thu 0",
      "Fri 0",
      "Sat 1",
      "Sun 2",
    ]);
    db.close();
  });

  it("lists what is new, escaped, and says which rule is noisy", () => {
    const text = JSON.stringify(buildWeeklyDigest(week(), { late: true, timeZone: "UTC" }));
    expect(text).toContain("posted late");
    expect(text).toContain("Çarol Ñúñez with Cursor (first tool: searchConfluence)");
    expect(text).toContain("deleteConfluencePage (3 calls, 2 people)");
    expect(text).toContain("&lt;!here&gt;.atlassian.net (1 call, 1 person)");
    expect(text).not.toContain("<!here>");
    expect(outcomeLine(week().ruleOutcomes[0] ?? ({} as never))).toBe(
      "mcp-write: 10 raised · 1 true positive · 7 expected · 1 acknowledged · 1 open — 13% true of those decided",
    );
  });

  it("a quiet week is one line", () => {
    const quiet = buildWeeklyDigest(
      week({ current: { calls: 0, people: 0, tools: 0, sites: 0 }, ruleOutcomes: [] }),
      { late: false, timeZone: "UTC" },
    );
    expect(quiet.text).toContain("no MCP activity this week");
    expect(quiet.replies).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { bucketLabels, renderActivityChart } from "../../src/digest/chart.js";
import type { TimeBucket } from "../../src/domain/digest.js";
import { HOUR } from "../../src/time-units.js";

const T = Date.UTC(2026, 10, 24, 0, 0, 0);
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** 24 hourly buckets from T, with some quiet hours at night. */
function sample(): TimeBucket[] {
  return Array.from({ length: 24 }, (_, i) => {
    const busy = i >= 6 && i <= 18;
    return {
      start: T + i * HOUR,
      read: busy ? 10 + ((i * 7) % 23) : 0,
      search: busy ? (i * 3) % 11 : i === 2 ? 1 : 0,
      write: busy ? i % 5 : 0,
      destructive: i === 13 ? 3 : i === 16 ? 1 : 0,
      admin: 0,
      other: 0,
    };
  });
}

const zeros = (): TimeBucket[] =>
  sample().map((b) => ({
    start: b.start,
    read: 0,
    search: 0,
    write: 0,
    destructive: 0,
    admin: 0,
    other: 0,
  }));

/** Width and height from a PNG's IHDR chunk (the first chunk, right after the signature). */
function size(png: Buffer): { width: number; height: number } {
  expect(png.toString("latin1", 12, 16)).toBe("IHDR");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe("digest chart", () => {
  it("renders 24 hours as a PNG about 900 pixels wide", async () => {
    const started = performance.now();
    const png = await renderActivityChart(sample(), {
      title: "MCP calls per hour, by tool class (Europe/Berlin)",
      timeZone: "Europe/Berlin",
    });
    const ms = performance.now() - started;
    console.info(`rendered 24 buckets in ${ms.toFixed(0)} ms (${png.length} bytes)`);

    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    const { width, height } = size(png);
    expect(width).toBe(900);
    expect(height).toBeGreaterThanOrEqual(300);
    expect(height).toBeLessThanOrEqual(420);
  });

  it("draws what it is given: a busy day differs from an all-zero one", async () => {
    const options = { title: "MCP calls per hour", timeZone: "UTC" };
    const busy = await renderActivityChart(sample(), options);
    const quiet = await renderActivityChart(zeros(), options);
    expect(quiet.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(size(quiet).width).toBe(900);
    expect(busy.equals(quiet)).toBe(false);
  });

  it("renders a period with no buckets at all", async () => {
    const png = await renderActivityChart([], { title: "Nothing", timeZone: "UTC" });
    expect(size(png).width).toBe(900);
  });

  it("labels hours in the given time zone", () => {
    const buckets = sample().slice(0, 3);
    expect(bucketLabels(buckets, "UTC")).toEqual(["00:00", "01:00", "02:00"]);
    expect(bucketLabels(buckets, "Europe/Berlin")).toEqual(["01:00", "02:00", "03:00"]);
    expect(bucketLabels(buckets, "Asia/Kolkata")).toEqual(["05:30", "06:30", "07:30"]);
    expect(bucketLabels(buckets, "America/New_York")).toEqual(["19:00", "20:00", "21:00"]);
  });

  it("repeats a label on the night clocks go back, keeping one bar per hour", () => {
    // Europe/Berlin leaves summer time at 01:00 UTC on 25 October 2026: 02:00 happens twice.
    const start = Date.UTC(2026, 9, 25, 0, 0, 0);
    const buckets = [0, 1, 2].map((i) => ({
      start: start + i * HOUR,
      read: 1,
      search: 0,
      write: 0,
      destructive: 0,
      admin: 0,
      other: 0,
    }));
    expect(bucketLabels(buckets, "Europe/Berlin")).toEqual(["02:00", "02:00", "03:00"]);
  });

  it("labels wider bars over days with the weekday, and renders a weekend of 3-hour bars", async () => {
    const friday = Date.UTC(2026, 10, 20, 8); // 09:00 in Berlin
    const bars = (width: number, n: number) =>
      Array.from({ length: n }, (_, i) => ({
        start: friday + i * width,
        read: i,
        search: 1,
        write: 0,
        destructive: 0,
        admin: 0,
        other: 0,
      }));
    const weekend = bars(3 * HOUR, 24);
    expect(bucketLabels(weekend, "Europe/Berlin").slice(0, 3)).toEqual([
      "Fri 09:00",
      "Fri 12:00",
      "Fri 15:00",
    ]);
    expect(bucketLabels(weekend, "Europe/Berlin").at(-1)).toBe("Mon 06:00");
    expect(bucketLabels(bars(24 * HOUR, 3), "Europe/Berlin")).toEqual([
      "Fri 20 Nov",
      "Sat 21 Nov",
      "Sun 22 Nov",
    ]);
    const png = await renderActivityChart(weekend, { title: "Weekend", timeZone: "Europe/Berlin" });
    expect(size(png).width).toBe(900);
  });
});

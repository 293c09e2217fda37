import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MOST_WINDOWS, Windows } from "../../src/query/windows.js";
import { DAY } from "../../src/time-units.js";

type Order = "newest-first" | "oldest-first";

function cut(
  since: number,
  until: number,
  took: readonly number[],
  order: Order = "newest-first",
): Array<[number, number]> {
  const windows = new Windows(since, until, 1.5, order);
  const parts: Array<[number, number]> = [];
  for (let window = windows.next(); window; window = windows.next()) {
    parts.push(window);
    windows.took(took[(parts.length - 1) % took.length] ?? 0);
  }
  return parts;
}

describe("a question's windows", () => {
  it.each<[string, Order]>([
    ["a question's, newest first", "newest-first"],
    ["an export's, oldest first", "oldest-first"],
  ])("cover %s, its time exactly, each once, however long each took", (_, order) => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.integer({ min: 1, max: 400 * DAY }),
        fc.array(fc.double({ min: 0, max: 500, noNaN: true }), { minLength: 1, maxLength: 20 }),
        (since, length, took) => {
          const parts = cut(since, since + length, took, order);
          const ascending = order === "newest-first" ? [...parts].reverse() : parts;
          expect(ascending[0]?.[0]).toBe(since);
          expect(ascending.at(-1)?.[1]).toBe(since + length);
          ascending.forEach(([from, to], i) => {
            expect(to).toBeGreaterThan(from);
            if (i > 0) expect(from).toBe(ascending[i - 1]?.[1]);
          });
          expect(parts.length).toBeLessThanOrEqual(MOST_WINDOWS);
        },
      ),
    );
  });

  it("start at the newest end, narrow, then grow while they read fast and shrink while slow", () => {
    const fast = cut(0, 30 * DAY, [0.01]);
    expect(fast[0]).toEqual([30 * DAY - Math.ceil((30 * DAY) / MOST_WINDOWS), 30 * DAY]);
    expect(fast.length).toBeLessThanOrEqual(11); // 1/1024 of the time, then twice as wide each time
    const widths = cut(0, 30 * DAY, [0.01, 0.01, 0.01, 15, 15]).map(([from, to]) => to - from);
    const narrowest = widths[0] ?? 0;
    expect(widths.slice(0, 6)).toEqual([1, 2, 4, 8, 2, 1].map((n) => n * narrowest));
  });

  it("are never more than MOST_WINDOWS, however slowly each reads", () => {
    const parts = cut(0, 400 * DAY, [10_000]);
    expect(parts.length).toBeGreaterThan(MOST_WINDOWS / 2);
    expect(parts.length).toBeLessThanOrEqual(MOST_WINDOWS);
  });
});

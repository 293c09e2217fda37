import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MOST_WINDOWS, Windows } from "../../src/query/windows.js";
import { DAY } from "../../src/time-units.js";

function cut(
  since: number,
  until: number,
  took: readonly number[],
  order: "oldest first" | "newest first" = "oldest first",
): Array<[number, number]> {
  const windows = new Windows(since, until, 1.5, order);
  const parts: Array<[number, number]> = [];
  for (let window = windows.next(); window; window = windows.next()) {
    parts.push(window);
    windows.took(took[parts.length % took.length] ?? 0);
  }
  return parts;
}

describe("a question's windows", () => {
  it("cover its time exactly, in order, each once, however long each took", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.integer({ min: 1, max: 400 * DAY }),
        fc.array(fc.double({ min: 0, max: 500, noNaN: true }), { minLength: 1, maxLength: 20 }),
        fc.constantFrom("oldest first" as const, "newest first" as const),
        (since, length, took, order) => {
          const parts = cut(since, since + length, took, order);
          const ascending = order === "oldest first" ? parts : [...parts].reverse();
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

  it("grow while they read fast and shrink while they read slowly", () => {
    const fast = cut(0, 30 * DAY, [0.01]);
    expect(fast.length).toBeLessThanOrEqual(4); // 1/64, then 8 times wider each time
    const slow = cut(0, 30 * DAY, [15]);
    const [first = 0, second, third] = slow.map(([from, to]) => to - from);
    expect(second).toBe(first / 4); // 10 times too slow: a quarter, at most
    expect(third).toBe(first / 16);
  });

  it("are never more than MOST_WINDOWS, however slowly each reads", () => {
    const parts = cut(0, 400 * DAY, [10_000]);
    expect(parts.length).toBeGreaterThan(MOST_WINDOWS / 2);
    expect(parts.length).toBeLessThanOrEqual(MOST_WINDOWS);
  });
});

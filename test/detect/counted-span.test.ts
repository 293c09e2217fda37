import { describe, expect, it } from "vitest";
import { spanToLink } from "../../src/detect/counted-span.js";

describe("spanToLink", () => {
  it("links a first window whole", () => {
    expect(spanToLink(undefined, { from: 0, to: 10 })).toEqual({
      parts: [{ from: 0, to: 10 }],
      linked: { from: 0, to: 10 },
    });
  });

  it("links only what a later window adds, on either side", () => {
    expect(spanToLink({ from: 0, to: 10 }, { from: 2, to: 12 })).toEqual({
      parts: [{ from: 10, to: 12 }],
      linked: { from: 0, to: 12 },
    });
    expect(spanToLink({ from: 5, to: 10 }, { from: 0, to: 20 })).toEqual({
      parts: [
        { from: 0, to: 5 },
        { from: 10, to: 20 },
      ],
      linked: { from: 0, to: 20 },
    });
    expect(spanToLink({ from: 0, to: 10 }, { from: 3, to: 8 }).parts).toEqual([]);
  });

  it("links a window apart from the span whole, and not the gap between", () => {
    expect(spanToLink({ from: 0, to: 10 }, { from: 20, to: 30 })).toEqual({
      parts: [{ from: 20, to: 30 }],
      linked: { from: 20, to: 30 },
    });
  });
});

import { describe, expect, it } from "vitest";
import { lagWords } from "../src/words.js";

describe("a lag in words", () => {
  it("reads at a glance, each unit as rounded", () => {
    expect(
      [0, 59.4, 119.4, 119.6, 240, 7_170, 7_200, 3 * 86_400 - 1, 1_248_016].map(lagWords),
    ).toEqual(["0 s", "59 s", "119 s", "2 min", "4 min", "2 h", "2 h", "3 d", "14 d"]);
  });
});

import { describe, expect, it } from "vitest";
import { isNamed, readRowRef, rowRef } from "../../src/slack/blocks/row-ref.js";

describe("a button's value naming a stored row", () => {
  it("reads back the id and stamp it was drawn with", () => {
    const value = rowRef(12, 1_764_892_800_000);
    expect(value).toBe("12.1764892800000");
    expect(readRowRef(value)).toEqual({ id: 12, stamp: 1_764_892_800_000 });
  });

  it("reads a bare id (a message of an earlier release) as naming whatever row has it", () => {
    const ref = readRowRef("12");
    expect(ref).toEqual({ id: 12, stamp: undefined });
    expect(ref && isNamed(ref, 42)).toBe(true);
  });

  it("tells the row drawn from another given the same id", () => {
    const ref = readRowRef(rowRef(12, 1000));
    expect(ref && isNamed(ref, 1000)).toBe(true);
    expect(ref && isNamed(ref, 2000)).toBe(false);
  });

  it("refuses what no button of the app carries", () => {
    for (const forged of ["", "12.", ".5", "12.5.6", "1e3", "-1", "12:4", "1234567890123", "12.x"])
      expect(readRowRef(forged), forged).toBeUndefined();
    expect(readRowRef(undefined)).toBeUndefined();
  });
});

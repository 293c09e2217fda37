import { describe, expect, it } from "vitest";
import { saidAlready } from "../../../src/slack/people/not-me-said.js";

describe('"not me" said already', () => {
  const handled = { open: false, lastEventSeq: 40 };

  it("is while its alert is open, whatever the person's calls since", () => {
    expect(saidAlready({ open: true, lastEventSeq: 40 }, 40)).toBe(true);
    expect(saidAlready({ open: true, lastEventSeq: 40 }, 99)).toBe(true);
  });

  it("is, once handled, for the calls it covered, and is not for calls made after it", () => {
    expect(saidAlready(handled, 40)).toBe(true);
    expect(saidAlready(handled, 41)).toBe(false);
  });

  it("is not when nothing was said", () => {
    expect(saidAlready(undefined, 40)).toBe(false);
  });
});

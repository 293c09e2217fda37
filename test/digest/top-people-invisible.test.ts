/**
 * Two accounts whose names differ by an invisible character (or by case) show as one name: the
 * digest's Top people shows each with its e-mail, and the invisible character is not in it.
 */
import { describe, expect, it } from "vitest";
import { HOUR } from "../../src/time-units.js";
import { normalizedEvent } from "../detect/fixtures.js";
import { dryRunDigestOf, SINCE } from "./dry-run-of.js";

function call(i: number, account: string, email: string, name: string) {
  return normalizedEvent({
    id: `${account}-${i}`,
    time: SINCE + (i + 1) * HOUR,
    processedAt: SINCE + (i + 1) * HOUR + 5_000,
    userId: account,
    userEmail: email,
    userName: name,
    actorName: name,
  });
}

async function topPeople(second: string): Promise<string[] | undefined> {
  const calls = [
    ...[0, 1, 2].map((i) => call(i, "acc-1", "alex.kim@example.com", "Alex Kim")),
    ...[3, 4].map((i) => call(i, "acc-2", "mallory@example.org", second)),
  ];
  const out = await dryRunDigestOf(calls);
  return out.split("Top people\n")[1]?.split("\n").slice(0, 2);
}

describe("two accounts whose names show as one", () => {
  for (const [label, invisible] of [
    ["zero-width space", "\u200b"],
    ["zero-width joiner", "\u200d"],
    ["zero-width non-joiner", "\u200c"],
    ["word joiner", "\u2060"],
    ["byte-order mark", "\ufeff"],
    ["soft hyphen", "\u00ad"],
  ] as const) {
    it(`shows each with its e-mail, the ${label} removed`, async () => {
      expect(await topPeople(`Alex${invisible} Kim`)).toEqual([
        "3 · Alex Kim (alex.kim@example.com)",
        "2 · Alex Kim (mallory@example.org)",
      ]);
    });
  }

  for (const [label, mark] of [
    ["left-to-right mark", "\u200e"],
    ["Arabic letter mark", "\u061c"],
  ] as const) {
    it(`shows each with its e-mail, the ${label} kept (right-to-left scripts need it)`, async () => {
      expect(await topPeople(`Alex${mark} Kim`)).toEqual([
        "3 · Alex Kim (alex.kim@example.com)",
        `2 · Alex${mark} Kim (mallory@example.org)`,
      ]);
    });
  }

  it("shows each with its e-mail when the names differ in case or width alone", async () => {
    expect(await topPeople("ALEX ＫＩＭ")).toEqual([
      "3 · Alex Kim (alex.kim@example.com)",
      "2 · ALEX ＫＩＭ (mallory@example.org)",
    ]);
  });
});

describe("a name whose zero-width joiner its script shapes with", () => {
  const sriyani = "ශ්\u200dරියානි"; // Sinhala: the rakaransaya needs the joiner

  it("keeps it in Top people", async () => {
    const out = await dryRunDigestOf([0, 1].map((i) => call(i, "acc-1", "s@example.lk", sriyani)));
    expect(out.split("Top people\n")[1]?.split("\n")[0]).toBe(`2 · ${sriyani}`);
  });

  it("is one name with the same letters written without it: each shows its e-mail", async () => {
    const out = await dryRunDigestOf([
      ...[0, 1, 2].map((i) => call(i, "acc-1", "s@example.lk", sriyani)),
      ...[3, 4].map((i) => call(i, "acc-2", "m@example.org", sriyani.replace("\u200d", ""))),
    ]);
    expect(out.split("Top people\n")[1]?.split("\n").slice(0, 2)).toEqual([
      `3 · ${sriyani} (s@example.lk)`,
      `2 · ${sriyani.replace("\u200d", "")} (m@example.org)`,
    ]);
  });
});

/**
 * Two accounts of the same name in the digest's Top people read as two people: each has its
 * e-mail beside the name. A real SQLite file written by the store, the digest read back by the
 * built CLI.
 */
import { describe, expect, it } from "vitest";
import { HOUR } from "../../src/time-units.js";
import { normalizedEvent } from "../detect/fixtures.js";
import { dryRunDigestOf, SINCE } from "./dry-run-of.js";

function call(i: number, account: string, email: string, name = "Alex Kim") {
  const e = normalizedEvent({
    id: `${account}-${i}`,
    time: SINCE + (i + 1) * HOUR,
    processedAt: SINCE + (i + 1) * HOUR + 5_000,
    userId: account,
    userEmail: email,
    userName: name,
    actorName: name,
  });
  return e;
}

describe("two accounts of one name in Top people", () => {
  it("shows each with its e-mail", async () => {
    const calls = [
      ...[0, 1, 2].map((i) => call(i, "acc-1", "alex.kim@example.com")),
      ...[3, 4].map((i) => call(i, "acc-2", "akim@example.org")),
      call(5, "acc-3", "sam@example.com"),
    ];
    calls[5] = { ...calls[5], userName: "Sam Lee", actorName: "Sam Lee" } as (typeof calls)[5];
    const out = await dryRunDigestOf(calls);
    const top = out.split("Top people\n")[1]?.split("\n").slice(0, 3);
    expect(top).toEqual([
      "3 · Alex Kim (alex.kim@example.com)",
      "2 · Alex Kim (akim@example.org)",
      "1 · Sam Lee",
    ]);
  });
});

describe("two accounts whose long names show as one once cut", () => {
  it("shows each with its e-mail after the name cut to 100 characters", async () => {
    const long = "Alexandra Kimberly-Montgomery ".repeat(4); // 120 characters
    const out = await dryRunDigestOf([
      ...[0, 1, 2].map((i) => call(i, "acc-1", "alex@example.com", `${long}1`)),
      ...[3, 4].map((i) => call(i, "acc-2", "mallory@example.org", `${long}2`)),
    ]);
    const shown = `${long.slice(0, 99)}…`;
    expect(out.split("Top people\n")[1]?.split("\n").slice(0, 2)).toEqual([
      `3 · ${shown} (alex@example.com)`,
      `2 · ${shown} (mallory@example.org)`,
    ]);
  });
});

/**
 * First-time people are named as Top people names them: by the name of the newest call that
 * names them, told apart by e-mail when two share a name. A real SQLite file written by the
 * store, the digest read back by the built CLI.
 */
import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../src/domain/event.js";
import { HOUR } from "../../src/time-units.js";
import { normalizedEvent } from "../detect/fixtures.js";
import { dryRunDigestOf, SINCE } from "./dry-run-of.js";

/** A call of `account` at `hour` of the period, naming `name` and `email` (or none). */
function call(
  account: string,
  hour: number,
  name: string | null,
  email: string | null,
): NormalizedEvent {
  const base = normalizedEvent();
  const time = SINCE + hour * HOUR;
  return {
    ...base,
    id: `${account}-${hour}`,
    time,
    processedAt: time + 5_000,
    userId: account,
    actorId: account,
    userName: name,
    actorName: name,
    userEmail: email,
    actorEmail: email,
  };
}

/** The lines of the digest's first-time people. */
const firstTimeLines = (out: string) =>
  (out.split("People who used MCP for the first time")[1] ?? "").split("\n").slice(1);

describe("first-time people", () => {
  it("are named by their newest call that names them, not by a nameless first call", async () => {
    const out = await dryRunDigestOf([
      call("acc-5f3e9a", 2, null, null),
      ...[3, 4, 5, 6].map((h) => call("acc-5f3e9a", h, "Dana Kim", "dana@example.com")),
    ]);
    expect(out).toContain("5 · Dana Kim");
    expect(firstTimeLines(out)[0]).toMatch(/^• Dana Kim with /);
  });

  it("of one name are told apart by their e-mail", async () => {
    const out = await dryRunDigestOf([
      call("acc-a", 1, "Alex Kim", "alex.kim@example.com"),
      call("acc-b", 2, "Alex Kim", "alex.kim@contractor.io"),
    ]);
    const [a, b] = firstTimeLines(out);
    expect(a).toMatch(/^• Alex Kim \(alex\.kim@example\.com\) with /);
    expect(b).toMatch(/^• Alex Kim \(alex\.kim@contractor\.io\) with /);
  });
});

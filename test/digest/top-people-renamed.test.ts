/**
 * A person renamed within the digest's period is named in Top people by the name of their newest
 * call of the period, the name they have now. A real SQLite file written by the store, the digest
 * read back by the built CLI.
 */
import { describe, expect, it } from "vitest";
import { HOUR } from "../../src/time-units.js";
import { normalizedEvent } from "../detect/fixtures.js";
import { dryRunDigestOf, SINCE } from "./dry-run-of.js";

describe("a person renamed within the digest's period", () => {
  it("is named in Top people by the name of their newest call", async () => {
    // Renamed at noon, and stored newest first: Dana Smith's calls are the period's oldest.
    const calls = Array.from({ length: 6 }, (_, i) => {
      const e = normalizedEvent({
        id: `r-${i}`,
        time: SINCE + (6 - i) * HOUR,
        processedAt: SINCE + (6 - i) * HOUR + 5_000,
        userName: i < 3 ? "Dana Novak" : "Dana Smith",
        actorName: i < 3 ? "Dana Novak" : "Dana Smith",
      });
      return e;
    });
    const out = await dryRunDigestOf(calls);
    expect(out.split("Top people\n")[1]?.split("\n")[0]).toBe("6 · Dana Novak");
  });
});

/**
 * An account none of whose calls in the period names a name is shown by the e-mail of its newest
 * call, whatever order its calls were stored in. A real SQLite file written by the store, the
 * digest read back by the built CLI.
 */
import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../src/domain/event.js";
import { HOUR } from "../../src/time-units.js";
import { normalizedEvent } from "../detect/fixtures.js";
import { dryRunDigestOf, SINCE } from "./dry-run-of.js";

/** A call of the account at `hour` of the period naming only this e-mail, by an API token. */
function call(hour: number, email: string): NormalizedEvent {
  const base = normalizedEvent();
  return {
    ...base,
    id: `nameless-${hour}`,
    time: SINCE + hour * HOUR,
    processedAt: SINCE + hour * HOUR + 5_000,
    userId: "acc-svc",
    userName: null,
    userEmail: email,
    actorId: "acc-svc",
    actorName: null,
    actorEmail: email,
    authKind: "api-token",
    authType: "api-token",
    clientApp: null,
  };
}

const newestFirst = [call(5, "svc-new@example.com"), call(2, "svc-old@example.com")];

describe("an account whose calls name no name", () => {
  for (const [order, events] of [
    ["newest stored first", newestFirst],
    ["newest stored last", [...newestFirst].reverse()],
  ] as const) {
    it(`is shown by the e-mail of its newest call (${order})`, async () => {
      const out = await dryRunDigestOf(events);
      expect(out.split("Top people\n")[1]?.split("\n")[0]).toBe("2 · svc-new@example.com");
      expect(out).toContain("2 calls by svc-new@example.com");
    });
  }
});

/**
 * A digest compares its period with the one before it. When that earlier period starts before
 * the history fetched on first start (BACKFILL_DAYS), it shows no change (a rise made of hours
 * never fetched) and says so. A real SQLite file written by the store, the digest composed as
 * the bot composes it.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { digestText } from "../../src/digest/build.js";
import { composeDigest } from "../../src/digest/compose.js";
import type { NormalizedEvent } from "../../src/domain/event.js";
import { openStore } from "../../src/store/open.js";
import { repositories } from "../../src/store/repositories.js";
import { DAY, HOUR } from "../../src/time-units.js";
import { normalizedEvent } from "../detect/fixtures.js";
import { capturedLogger } from "../helpers/logs.js";
import { tempDir } from "../helpers/tmp.js";

/** First start Saturday 2026-11-21 12:00 UTC. */
const FIRST_START = Date.UTC(2026, 10, 21, 12);
/** Monday 2026-11-30 09:00 UTC, a weekly digest's end (DIGEST_WEEKLY_CRON 0 9 * * 1). */
const MONDAY = Date.UTC(2026, 10, 30, 9);

function call(at: number): NormalizedEvent {
  const base = normalizedEvent();
  return { ...base, id: `h-${at}`, time: at, processedAt: at + 5_000 };
}

/** A store whose history was fetched from `backfillFrom` on first start, a call an hour since. */
function storeFetchedFrom(backfillFrom: number, until: number) {
  const stores = repositories(openStore(join(tempDir(), "fetched.db")));
  stores.pollStates.save(
    {
      orgId: "org-1",
      cursor: null,
      lastProcessedAt: FIRST_START,
      backfillFrom,
      backfillUntil: FIRST_START,
      backfillDone: true,
    },
    FIRST_START,
  );
  const events: NormalizedEvent[] = [];
  for (let t = backfillFrom; t < until; t += HOUR) events.push(call(t + 60_000));
  stores.transaction(() => stores.events.insertMany(events, until));
  const digest = async (kind: "daily" | "weekly", since: number, end: number) => {
    const { message } = await composeDigest(
      {
        stores,
        logger: capturedLogger().logger,
        orgId: "org-1",
        timeZone: "UTC",
        health: () => ({ lagSeconds: 0, quarantined: 0, keyRejected: false, lastError: null }),
      },
      kind,
      since,
      end,
      { late: false },
    );
    return digestText(message);
  };
  return { digest };
}

describe("a change against hours before the history fetched on first start", () => {
  it("is not shown by the weekly digest whose week before was partly fetched (BACKFILL_DAYS=1)", async () => {
    const { digest } = storeFetchedFrom(FIRST_START - DAY, MONDAY + 7 * DAY);
    const first = await digest("weekly", MONDAY - 7 * DAY, MONDAY);
    expect(first).toContain("168 MCP calls · 1 person · 1 tool · 1 site\n");
    expect(first).not.toMatch(/[▲▼]/);
    expect(first).toContain(
      "No change shown: the hours compared are only partly in the history fetched on first start (`BACKFILL_DAYS`), which begins at 2026-11-20 12:00 UTC.",
    );
    // The next week is compared with one fetched whole: the same use, no change.
    const next = await digest("weekly", MONDAY, MONDAY + 7 * DAY);
    expect(next).toContain("168 MCP calls (=)");
    expect(next).not.toContain("history fetched on first start");
  });

  it("is not shown by the first daily digests, with none fetched (BACKFILL_DAYS=0)", async () => {
    const { digest } = storeFetchedFrom(FIRST_START, FIRST_START + 3 * DAY);
    const sunday = Date.UTC(2026, 10, 22, 9);
    const first = await digest("daily", sunday - DAY, sunday);
    expect(first).toContain("21 MCP calls · 1 person · 1 tool · 1 site\n");
    expect(first).toContain(
      "The history fetched on first start (`BACKFILL_DAYS`) begins at 2026-11-21 12:00 UTC: this counts the calls from then, and shows no change.",
    );
    const second = await digest("daily", sunday, sunday + DAY);
    expect(second).toContain("24 MCP calls · 1 person");
    expect(second).not.toMatch(/[▲▼]|\(new\)/);
    const third = await digest("daily", sunday + DAY, sunday + 2 * DAY);
    expect(third).toContain("24 MCP calls (=)");
  });
});

/**
 * The first daily digest after the first start's summary of the history (the digest at 09:00
 * Berlin): it starts where the summary ends, at the first start, whether that came an hour after
 * the digest's time or half an hour before it. A real SQLite file, the scheduler on a virtual clock.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { digestText } from "../../src/digest/build.js";
import { DigestScheduler } from "../../src/digest/schedule.js";
import type { NormalizedEvent } from "../../src/domain/event.js";
import { openStore } from "../../src/store/open.js";
import { repositories } from "../../src/store/repositories.js";
import { DAY, MINUTE } from "../../src/time-units.js";
import { normalizedEvent } from "../detect/fixtures.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { closeAfterTest } from "../helpers/cleanup.js";
import { capturedLogger } from "../helpers/logs.js";
import { tempDir } from "../helpers/tmp.js";

/** 09:00 in Berlin on 2026-11-24 and the next day. */
const NINE = Date.UTC(2026, 10, 24, 8);
const NINE_NEXT = NINE + DAY;

/**
 * A first start at `start`: Ann's call half an hour before it is in the history the backfill
 * read (its summary names her as new); Lou's, 70 minutes before it, Atlassian recorded after it
 * (live, in no summary). The first daily digest, at the digest's first time after the start.
 */
async function firstDaily(start: number) {
  const db = openStore(join(tempDir(), "digest.db"));
  closeAfterTest(() => db.close());
  const stores = repositories(db);
  const call = (n: number, who: string, time: number, backfilled: boolean) =>
    normalizedEvent({
      id: `ev-${n}`,
      time,
      processedAt: backfilled ? start - MINUTE : start + 10 * MINUTE,
      userId: `acc-${who}`,
      userName: who,
      userEmail: `${who}@example.com`,
      backfilled,
    }) as NormalizedEvent;
  stores.transaction(() =>
    stores.events.insertMany([call(1, "ann", start - 30 * MINUTE, true)], start + MINUTE),
  );
  stores.pollStates.save(
    {
      orgId: "org-1",
      cursor: null,
      lastProcessedAt: start - MINUTE,
      backfillFrom: start - 7 * DAY,
      backfillUntil: start,
      backfillDone: true,
    },
    start + MINUTE,
  );
  const clock = new VirtualClock(start + 2 * MINUTE);
  const scheduler = new DigestScheduler({
    stores,
    clock,
    logger: capturedLogger().logger,
    orgId: "org-1",
    cron: "0 9 * * *",
    timeZone: "Europe/Berlin",
    health: () => ({ lagSeconds: 0, quarantined: 0, keyRejected: false, lastError: null }),
  });
  await scheduler.catchUp();
  await scheduler.tick();
  const of = (kind: string) => stores.digests.list("org-1").filter((r) => r.kind === kind);
  const text = (kind: string) =>
    of(kind)
      .map((r) => digestText(r.message))
      .join("\n");
  const summary = text("backfill");
  stores.transaction(() =>
    stores.events.insertMany([call(2, "lou", start - 70 * MINUTE, false)], start + 11 * MINUTE),
  );
  const due = start < NINE ? NINE : NINE_NEXT;
  clock.advance(due + MINUTE - clock.now());
  await scheduler.tick();
  return {
    summary,
    periods: of("daily").map((d) => [d.periodStart, d.periodEnd]),
    daily: text("daily"),
  };
}

describe("the first daily digest after the summary of the history", () => {
  it("of a first start later than its time starts at the first start: a live call dated before is late, a person the summary named is not new again", async () => {
    const start = NINE + 60 * MINUTE; // 10:00 Berlin
    const { summary, periods, daily } = await firstDaily(start);
    expect(summary).toContain("ann");
    expect(periods).toEqual([[start, NINE_NEXT]]);
    expect(daily).toContain("2026-11-24 09:00 UTC – 2026-11-25 08:00 UTC");
    expect(daily).toContain(
      "1 MCP call by 1 person from earlier periods arrived after their digest (earliest 2026-11-24 07:50 UTC)",
    );
    const newcomers = daily.split("for the first time")[1] ?? "";
    expect(newcomers).toContain("lou");
    expect(newcomers).not.toContain("ann");
  });

  it("of a first start half an hour before its time covers that half hour only", async () => {
    const start = NINE - 30 * MINUTE; // 08:30 Berlin
    const { summary, periods, daily } = await firstDaily(start);
    expect(summary).toContain("ann");
    expect(periods).toEqual([[start, NINE]]);
    expect(daily).toContain("2026-11-24 07:30 UTC – 2026-11-24 08:00 UTC");
    expect(daily).toContain(
      "1 MCP call by 1 person from earlier periods arrived after their digest",
    );
    const newcomers = daily.split("for the first time")[1] ?? "";
    expect(newcomers).toContain("lou");
    expect(newcomers).not.toContain("ann");
  });
});

/**
 * A daily and a weekly digest made by a clock that was ahead, at the same time
 * (DIGEST_CRON `0 9 * * *`, DIGEST_WEEKLY_CRON `0 9 * * 1`, as docs suggest): both are set aside at
 * start and both are made again when their time comes. Real SQLite file.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DigestScheduler } from "../../src/digest/schedule.js";
import { DigestRecordStore } from "../../src/store/digests.js";
import { openStore } from "../../src/store/open.js";
import { PollStateStore } from "../../src/store/poll-state.js";
import { repositories } from "../../src/store/repositories.js";
import { DAY, MINUTE } from "../../src/time-units.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { capturedLogger } from "../helpers/logs.js";
import { tempDir } from "../helpers/tmp.js";

/** 2026-11-24 09:00 UTC, a Tuesday. */
const NINE = Date.UTC(2026, 10, 24, 9);
/** Monday 2026-11-30 09:00 UTC: the daily's and the weekly's time. */
const MONDAY = NINE + 6 * DAY;

function setup(clock: VirtualClock, path: string) {
  const db = openStore(path);
  const states = new PollStateStore(db);
  if (!states.get("org-1"))
    states.save(
      {
        orgId: "org-1",
        cursor: null,
        lastProcessedAt: null,
        backfillFrom: NINE - 10 * DAY,
        backfillUntil: NINE - 3 * DAY,
        backfillDone: true,
      },
      NINE - 3 * DAY,
    );
  const stores = repositories(db);
  const poll = { readThrough: null as number | null };
  const log = capturedLogger();
  const scheduler = (kind: "daily" | "weekly", cron: string) =>
    new DigestScheduler({
      stores,
      clock,
      logger: log.logger,
      orgId: "org-1",
      cron,
      kind,
      timeZone: "UTC",
      readThrough: () => poll.readThrough,
      health: () => ({ lagSeconds: 0, quarantined: 0, keyRejected: false, lastError: null }),
    });
  return {
    daily: scheduler("daily", "0 9 * * *"),
    weekly: scheduler("weekly", "0 9 * * 1"),
    poll,
    log,
    records: () => new DigestRecordStore(db).list("org-1"),
  };
}

describe("digests made by a clock that was ahead, daily and weekly at the same time", () => {
  it("are both set aside at start, and both made again when their time comes", async () => {
    const path = join(tempDir(), "digest.db");
    // The host booted a week ahead: Monday 09:01 while it is Tuesday before.
    const ahead = new VirtualClock(MONDAY + MINUTE);
    const wrong = setup(ahead, path);
    wrong.poll.readThrough = ahead.now();
    await wrong.daily.catchUp();
    await wrong.weekly.catchUp();
    const madeAhead = wrong.records().filter((r) => r.periodEnd === MONDAY);
    expect(madeAhead.map((r) => r.kind).sort()).toEqual(["daily", "weekly"]);

    // Restarted with the right clock, six days before.
    const clock = new VirtualClock(NINE + MINUTE);
    const s = setup(clock, path);
    s.poll.readThrough = clock.now();
    await s.daily.catchUp();
    await s.weekly.catchUp();
    // Neither counts as its period's any more.
    const still = s.records().filter((r) => r.periodEnd === MONDAY && !r.kind.startsWith("ahead-"));
    expect(still.map((r) => r.kind)).toEqual([]);
    expect(s.log.text()).toContain("1 weekly digest made by a clock that was ahead");
    // Monday 09:00 comes: both are made, each once.
    clock.advance(MONDAY + 1_000 - clock.now());
    s.poll.readThrough = MONDAY + 40_000;
    clock.advance(60_000);
    await s.daily.tick();
    await s.weekly.tick();
    const made = s.records().filter((r) => r.periodEnd === MONDAY && !r.kind.startsWith("ahead-"));
    expect(made.map((r) => r.kind).sort()).toEqual(["daily", "weekly"]);
  });
});

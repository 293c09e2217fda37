import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DigestScheduler, scheduledTimes } from "../../src/digest/schedule.js";
import { DigestRecordStore } from "../../src/store/digests.js";
import { openStore } from "../../src/store/open.js";
import { PollStateStore } from "../../src/store/poll-state.js";
import { repositories } from "../../src/store/repositories.js";
import { DAY } from "../../src/time-units.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { capturedLogger } from "../helpers/logs.js";
import { tempDir } from "../helpers/tmp.js";

/** 2026-11-24 07:30 UTC = 08:30 in Berlin. */
const START = Date.UTC(2026, 10, 24, 7, 30);

function setup(path = join(tempDir(), "digest.db"), firstStart = START - 3 * DAY) {
  const db = openStore(path);
  new PollStateStore(db).save(
    {
      orgId: "org-1",
      cursor: null,
      lastProcessedAt: null,
      backfillFrom: firstStart - 7 * DAY,
      backfillUntil: firstStart,
      backfillDone: true,
    },
    firstStart,
  );
  const records = new DigestRecordStore(db);
  const scheduler = (clock: VirtualClock) =>
    new DigestScheduler({
      stores: repositories(db),
      clock,
      logger: capturedLogger().logger,
      orgId: "org-1",
      cron: "0 9 * * *",
      timeZone: "Europe/Berlin",
      health: () => ({ lagSeconds: 0, quarantined: 0, keyRejected: false, lastError: null }),
    });
  const daily = () => records.list("org-1").filter((r) => r.kind === "daily");
  return { db, path, records, scheduler, daily };
}

describe("digest schedule", () => {
  it("computes the scheduled times in the configured zone, across DST", () => {
    expect(scheduledTimes("0 9 * * *", "Europe/Berlin", START)).toEqual({
      previous: Date.UTC(2026, 10, 23, 8),
      next: Date.UTC(2026, 10, 24, 8),
    });
    expect(scheduledTimes("0 9 * * *", "Europe/Berlin", Date.UTC(2026, 6, 1, 12)).previous).toBe(
      Date.UTC(2026, 6, 1, 7),
    );
  });

  it("creates the day's digest at 09:00 Berlin, once, for the 24 hours before", async () => {
    const s = setup();
    const clock = new VirtualClock(START);
    const scheduler = s.scheduler(clock);
    await scheduler.catchUp(); // the previous 09:00 (yesterday) was missed while down
    expect(s.daily().map((d) => [d.periodEnd, d.late])).toEqual([
      [Date.UTC(2026, 10, 23, 8), true],
    ]);
    const stop = new AbortController();
    const loop = scheduler.worker.run(stop.signal);
    while (clock.now() < Date.UTC(2026, 10, 24, 8, 5))
      await new Promise((resolve) => setImmediate(resolve));
    stop.abort();
    await loop;
    const today = s.daily().at(-1);
    expect(today).toMatchObject({
      periodStart: Date.UTC(2026, 10, 23, 8),
      periodEnd: Date.UTC(2026, 10, 24, 8),
      late: false,
    });
    expect(s.daily()).toHaveLength(2);
    expect(s.records.list("org-1").filter((r) => r.kind === "backfill")).toHaveLength(1);
  });

  it("does not create a period twice across a restart at 09:00:30", async () => {
    const s = setup();
    const at = Date.UTC(2026, 10, 24, 8, 0, 30);
    await s.scheduler(new VirtualClock(at)).catchUp();
    await s.scheduler(new VirtualClock(at + 1_000)).catchUp();
    expect(s.daily().filter((d) => d.periodEnd === Date.UTC(2026, 10, 24, 8))).toHaveLength(1);
    expect(s.daily().at(-1)?.late).toBe(false);
  });

  it("catches up only the last missed digest after days down, never a flood", async () => {
    const s = setup();
    await s.scheduler(new VirtualClock(START + 2 * DAY)).catchUp();
    expect(s.daily().map((d) => d.periodEnd)).toEqual([Date.UTC(2026, 10, 25, 8)]);
  });

  it("posts no daily digest for a time before the first start: the backfill summary takes its place", async () => {
    const s = setup(undefined, START);
    await s.scheduler(new VirtualClock(START + 20 * 60_000)).catchUp(); // 08:50 Berlin: the last 09:00 was before the first start
    expect(s.daily()).toEqual([]);
  });
});

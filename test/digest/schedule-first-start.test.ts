/**
 * The first start, half an hour before the daily digest (09:00 Berlin), as an admin makes it:
 * the digest's time passes while the history is still being read; then the bot is restarted the
 * same day (a rules file added, a setting fixed).
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DigestScheduler } from "../../src/digest/schedule.js";
import { DigestRecordStore } from "../../src/store/digests.js";
import { openStore } from "../../src/store/open.js";
import { type PollState, PollStateStore } from "../../src/store/poll-state.js";
import { repositories } from "../../src/store/repositories.js";
import { DAY, HOUR, MINUTE } from "../../src/time-units.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { capturedLogger } from "../helpers/logs.js";
import { tempDir } from "../helpers/tmp.js";

/** 2026-11-24 07:30 UTC = 08:30 in Berlin: the first start. */
const START = Date.UTC(2026, 10, 24, 7, 30);
/** 09:00 in Berlin, that day and the next. */
const NINE = Date.UTC(2026, 10, 24, 8);
const NINE_NEXT = NINE + DAY;

/** The first poll's state, saved at the first start: the history not read yet. */
const reading: PollState = {
  orgId: "org-1",
  cursor: null,
  lastProcessedAt: null,
  backfillFrom: START - 90 * DAY,
  backfillUntil: START,
  backfillDone: false,
};

function setup() {
  const db = openStore(join(tempDir(), "digest.db"));
  const states = new PollStateStore(db);
  states.save(reading, START);
  const stores = repositories(db);
  const scheduler = (clock: VirtualClock) =>
    new DigestScheduler({
      stores,
      clock,
      logger: capturedLogger().logger,
      orgId: "org-1",
      cron: "0 9 * * *",
      timeZone: "Europe/Berlin",
      health: () => ({ lagSeconds: null, quarantined: 0, keyRejected: false, lastError: null }),
    });
  const records = new DigestRecordStore(db);
  const daily = () =>
    records
      .list("org-1")
      .filter((r) => r.kind === "daily")
      .map((r) => [r.periodStart, r.periodEnd]);
  return { db, states, records, scheduler, daily };
}

describe("a restart after the first start's backfill ran past the digest's time", () => {
  it("does not post that digest late over the hours the summary reported; the next starts at the first start", async () => {
    const s = setup();
    const clock = new VirtualClock(START);
    const first = s.scheduler(clock);
    await first.catchUp();
    clock.advance(31 * MINUTE); // 09:01: the digest is due, the history still being read
    await first.tick();
    clock.advance(19 * MINUTE); // 09:20: the backfill is done, its summary follows
    s.states.save({ ...reading, backfillDone: true }, clock.now());
    await first.tick();
    expect(s.records.list("org-1").map((r) => r.kind)).toEqual(["backfill"]);

    clock.advance(5 * HOUR); // 14:20: the admin restarts the bot
    const second = s.scheduler(clock);
    await second.catchUp();
    await second.tick();
    expect(s.daily()).toEqual([]);

    clock.advance(NINE_NEXT + MINUTE - clock.now());
    await second.tick();
    expect(s.daily()).toEqual([[START, NINE_NEXT]]);
  });
});

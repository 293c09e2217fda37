import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DigestScheduler } from "../../src/digest/schedule.js";
import { DigestRecordStore } from "../../src/store/digests.js";
import { openStore } from "../../src/store/open.js";
import { PollStateStore } from "../../src/store/poll-state.js";
import { repositories } from "../../src/store/repositories.js";
import { DAY, MINUTE } from "../../src/time-units.js";
import { mcpEvent } from "../detect/fixtures.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { capturedLogger } from "../helpers/logs.js";
import { tempDir } from "../helpers/tmp.js";

/** 2026-11-24 09:00 UTC: DIGEST_CRON `0 9 * * *` in UTC. */
const NINE = Date.UTC(2026, 10, 24, 9);

/** A store first polled three days ago, and a scheduler told when the log was last read through. */
function setup(clock: VirtualClock) {
  const db = openStore(join(tempDir(), "digest.db"));
  new PollStateStore(db).save(
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
  const poll = { readThrough: null as number | null, asked: 0 };
  const log = capturedLogger();
  const scheduler = new DigestScheduler({
    stores,
    clock,
    logger: log.logger,
    orgId: "org-1",
    cron: "0 9 * * *",
    timeZone: "UTC",
    readThrough: () => poll.readThrough,
    pollSoon: () => {
      poll.asked++;
    },
    health: () => ({ lagSeconds: 0, quarantined: 0, keyRejected: false, lastError: null }),
  });
  const daily = () => new DigestRecordStore(db).list("org-1").filter((r) => r.kind === "daily");
  /** Carol's MCP call made at `time`, stored now (by a poll). */
  const store = (id: string, time: number) => {
    const {
      seq: _seq,
      ingestedAt: _at,
      ...event
    } = mcpEvent({
      id,
      time,
      processedAt: time + 20_000,
      userId: "acc-carol",
      userName: "Carol New",
      userEmail: "carol@example.com",
      actorId: "acc-carol",
    });
    db.transaction(() => stores.events.insertMany([event], clock.now()))();
  };
  return { scheduler, poll, daily, store, log };
}

describe("a digest waits for the poll after its period", () => {
  it("counts a call made a minute before its time and stored by the next poll", async () => {
    const clock = new VirtualClock(NINE - MINUTE);
    const s = setup(clock);
    s.poll.readThrough = NINE - 2 * MINUTE;
    await s.scheduler.catchUp(); // yesterday's digest was made before this start
    const before = s.daily().length;
    clock.advance(NINE + 1 - clock.now());
    await s.scheduler.tick();
    expect(s.daily()).toHaveLength(before); // the last poll began before 09:00: not yet
    // 09:01:10: the poll that began at 09:01:05 stores the call made at 08:59:30.
    clock.advance(NINE + 70_000 - clock.now());
    s.store("late-1", NINE - 30_000);
    s.poll.readThrough = NINE + 65_000;
    await s.scheduler.tick();
    const today = s.daily().at(-1);
    expect(today).toMatchObject({ periodEnd: NINE, late: false });
    expect(today?.message.text).toContain("1 MCP call");
    await s.scheduler.tick();
    expect(s.daily().filter((d) => d.periodEnd === NINE)).toHaveLength(1);
  });

  it("asks for a poll once one begun then would do: the poll interval may be hours", async () => {
    const clock = new VirtualClock(NINE - MINUTE);
    const s = setup(clock);
    s.poll.readThrough = NINE - 50 * MINUTE; // hourly polls
    await s.scheduler.catchUp();
    clock.advance(NINE + 1 - clock.now());
    await s.scheduler.tick();
    expect(s.poll.asked).toBe(0); // a poll begun now could miss a call Atlassian still processes
    clock.advance(30_000);
    await s.scheduler.tick();
    await s.scheduler.tick();
    expect(s.poll.asked).toBe(1);
    s.poll.readThrough = clock.now();
    await s.scheduler.tick();
    expect(s.daily().at(-1)).toMatchObject({ periodEnd: NINE, late: false });
  });

  it("waits at most 15 minutes when the log cannot be read, and says so", async () => {
    const clock = new VirtualClock(NINE - MINUTE);
    const s = setup(clock);
    s.poll.readThrough = NINE - 2 * MINUTE;
    await s.scheduler.catchUp();
    clock.advance(NINE + 14 * MINUTE - clock.now());
    await s.scheduler.tick();
    expect(s.daily().some((d) => d.periodEnd === NINE)).toBe(false);
    clock.advance(NINE + 15 * MINUTE - clock.now());
    await s.scheduler.tick();
    expect(s.daily().at(-1)).toMatchObject({ periodEnd: NINE, late: false });
    expect(s.log.text()).toContain("could not be read to its end in 15 minutes");
  });

  it("after a night down, the late digest waits for the first poll to read the night", async () => {
    const clock = new VirtualClock(NINE + 3 * 60 * MINUTE); // started at noon
    const s = setup(clock);
    s.poll.readThrough = null;
    await s.scheduler.catchUp();
    expect(s.daily().some((d) => d.periodEnd === NINE)).toBe(false);
    clock.advance(NINE + 3 * 60 * MINUTE + 30_000 - clock.now());
    s.store("night-1", NINE - 5 * 60 * MINUTE);
    s.poll.readThrough = NINE + 3 * 60 * MINUTE + 1_000;
    await s.scheduler.tick();
    const missed = s.daily().at(-1);
    expect(missed).toMatchObject({ periodEnd: NINE, late: true });
    expect(missed?.message.text).toContain("1 MCP call");
  });
});

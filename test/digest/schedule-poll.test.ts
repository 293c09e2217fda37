import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { digestText } from "../../src/digest/build.js";
import { DigestScheduler } from "../../src/digest/schedule.js";
import { DigestRecordStore } from "../../src/store/digests.js";
import { openStore } from "../../src/store/open.js";
import { PollStateStore } from "../../src/store/poll-state.js";
import { repositories } from "../../src/store/repositories.js";
import { DAY, MINUTE } from "../../src/time-units.js";
import { normalizedEvent } from "../detect/fixtures.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { capturedLogger } from "../helpers/logs.js";
import { tempDir } from "../helpers/tmp.js";

/** 2026-11-24 09:00 UTC: DIGEST_CRON `0 9 * * *` in UTC. */
const NINE = Date.UTC(2026, 10, 24, 9);

/** A store first polled three days ago, and a scheduler told when the log was last read through. */
function setup(
  clock: VirtualClock,
  options: { path?: string; timeZone?: string; lastError?: string; lastProcessedAt?: number } = {},
) {
  const db = openStore(options.path ?? join(tempDir(), "digest.db"));
  const states = new PollStateStore(db);
  if (!states.get("org-1"))
    states.save(
      {
        orgId: "org-1",
        cursor: null,
        lastProcessedAt: options.lastProcessedAt ?? null,
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
    timeZone: options.timeZone ?? "UTC",
    readThrough: () => poll.readThrough,
    pollSoon: () => {
      poll.asked++;
    },
    health: () => ({
      lagSeconds: 0,
      quarantined: 0,
      keyRejected: false,
      lastError: options.lastError ?? null,
    }),
  });
  const daily = () => new DigestRecordStore(db).list("org-1").filter((r) => r.kind === "daily");
  /** Carol's MCP call made at `time`, stored now (by a poll). */
  const store = (id: string, time: number) => {
    const event = normalizedEvent({
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
    // The loop wakes at the digest's time, then every few seconds while it waits.
    clock.advance(NINE + 1_000 - clock.now());
    await s.scheduler.tick();
    clock.advance(NINE + 14 * MINUTE - clock.now());
    await s.scheduler.tick();
    expect(s.daily().some((d) => d.periodEnd === NINE)).toBe(false);
    clock.advance(NINE + 15 * MINUTE - clock.now());
    await s.scheduler.tick();
    const made = s.daily().at(-1);
    expect(made).toMatchObject({ periodEnd: NINE, late: false });
    expect(s.log.text()).toContain("could not be read to its end in 15 minutes");
    // The reader is told too: not "a quiet day".
    const text = digestText(made?.message ?? { text: "", blocks: [], replies: [] });
    expect(text).toContain(
      `The audit log could not be read to the end of this period: calls Atlassian recorded after ${new Date(NINE - 2 * MINUTE).toISOString().slice(0, 16).replace("T", " ")} UTC are not counted`,
    );
    expect(text).toContain("No MCP activity stored for this period.");
    expect(made?.message.text).toContain("(the audit log could not be read to its end)");
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

  it("after the process was suspended across its time, asks for a poll and waits for it", async () => {
    // Running since 08:00, its last poll begun at 08:29; the host is paused at 08:30 and resumed
    // at 10:30 (a VM paused or migrated): to the process, the clock jumped two hours.
    const clock = new VirtualClock(NINE - 60 * MINUTE);
    const s = setup(clock);
    s.poll.readThrough = NINE - 60 * MINUTE;
    await s.scheduler.catchUp();
    clock.advance(30 * MINUTE);
    s.poll.readThrough = NINE - 31 * MINUTE;
    await s.scheduler.tick();
    clock.advance(120 * MINUTE);
    await s.scheduler.tick();
    expect(s.daily().some((d) => d.periodEnd === NINE)).toBe(false);
    expect(s.poll.asked).toBe(1);
    // That poll stores the call made at 08:45, and the digest counts it.
    s.store("c-0845", NINE - 15 * MINUTE);
    s.poll.readThrough = clock.now() + 1_000;
    clock.advance(5_000);
    await s.scheduler.tick();
    expect(s.daily().at(-1)).toMatchObject({ periodEnd: NINE });
    expect(s.daily().at(-1)?.message.text).toContain("1 MCP call");
  });

  it("says in the digest that polling fails, never 'poller ok', while the last poll failed", async () => {
    const clock = new VirtualClock(NINE - MINUTE);
    const s = setup(clock, { lastError: "the Atlassian API answered 503 Service Unavailable" });
    s.poll.readThrough = NINE - DAY + MINUTE;
    await s.scheduler.catchUp();
    clock.advance(NINE + 1_000 - clock.now());
    await s.scheduler.tick();
    clock.advance(15 * MINUTE);
    await s.scheduler.tick();
    const text = digestText(s.daily().at(-1)?.message ?? { text: "", blocks: [], replies: [] });
    expect(text).toContain(
      "Health: :warning: polling fails · lag 0 s · 0 quarantined events · last error: the Atlassian API answered 503 Service Unavailable",
    );
    expect(text).not.toContain("poller ok");
  });
});

describe("a schedule changed between two runs", () => {
  it("set later (DIGEST_TIMEZONE, DIGEST_CRON) posts no late digest of hours the last one covered", async () => {
    // With 09:00 UTC, today's digest is posted; at noon DIGEST_TIMEZONE becomes
    // America/Los_Angeles (09:00 there is 17:00 UTC) and the bot restarts: nothing was missed.
    const path = join(tempDir(), "digest.db");
    const utc = setup(new VirtualClock(NINE + 2 * MINUTE), { path });
    utc.poll.readThrough = NINE + MINUTE;
    await utc.scheduler.catchUp();
    const clock = new VirtualClock(NINE + 3 * 60 * MINUTE);
    const la = setup(clock, { path, timeZone: "America/Los_Angeles" });
    la.poll.readThrough = clock.now();
    await la.scheduler.catchUp();
    expect(la.daily().map((d) => [d.periodStart, d.periodEnd, d.late])).toEqual([
      [NINE - DAY, NINE, false],
    ]);
    // The start says when the next one comes, in the zone it is scheduled in.
    expect(la.log.text()).toContain(
      "the daily digest is due next at 2026-11-24 09:00 America/Los_Angeles",
    );
    // At 17:00 UTC the next covers the time since 09:00 UTC: no gap, no overlap.
    clock.advance(8 * 60 * MINUTE - 3 * 60 * MINUTE + 1_000);
    await la.scheduler.tick();
    la.poll.readThrough = clock.now() + 35_000; // the poll after 17:00
    clock.advance(40_000);
    await la.scheduler.tick();
    expect(la.daily().map((d) => [d.periodStart, d.periodEnd])).toEqual([
      [NINE - DAY, NINE],
      [NINE, NINE + 8 * 60 * MINUTE],
    ]);
  });

  it("a digest recorded while the clock was a month ahead does not silence the ones to come", async () => {
    // The host booted with its clock a month ahead, and the bot made "that day's" digest before
    // the clock was set right and the bot restarted.
    const path = join(tempDir(), "digest.db");
    const ahead = new VirtualClock(NINE + 30 * DAY + MINUTE);
    const wrong = setup(ahead, { path });
    wrong.poll.readThrough = ahead.now();
    await wrong.scheduler.catchUp();
    const clock = new VirtualClock(NINE - 60 * MINUTE);
    const s = setup(clock, { path });
    s.poll.readThrough = clock.now();
    await s.scheduler.catchUp();
    clock.advance(60 * MINUTE + 1_000);
    await s.scheduler.tick();
    s.poll.readThrough = NINE + 40_000;
    clock.advance(60_000);
    await s.scheduler.tick();
    expect(s.daily().map((d) => d.periodEnd)).toContain(NINE);
  });

  it("a digest recorded while the clock was a month ahead is made again when its time comes", async () => {
    const path = join(tempDir(), "digest.db");
    const AHEAD = NINE + 30 * DAY;
    const ahead = new VirtualClock(AHEAD + MINUTE);
    const wrong = setup(ahead, { path });
    wrong.poll.readThrough = ahead.now();
    await wrong.scheduler.catchUp();
    expect(wrong.daily().map((d) => d.periodEnd)).toContain(AHEAD);
    // The real day: Carol's call made at 08:00 is stored by the polls.
    const clock = new VirtualClock(AHEAD - 60 * MINUTE);
    const s = setup(clock, { path });
    s.poll.readThrough = clock.now();
    await s.scheduler.catchUp();
    s.store("carol-1", AHEAD - 60 * MINUTE);
    clock.advance(60 * MINUTE + 1_000);
    await s.scheduler.tick();
    s.poll.readThrough = AHEAD + 40_000;
    clock.advance(60_000);
    await s.scheduler.tick();
    const day = s.daily().filter((d) => d.periodEnd === AHEAD);
    expect(day.map((d) => d.message.text)).toEqual([expect.stringContaining("1 MCP call")]);
    expect(s.log.text()).toContain(
      "1 daily digest made by a clock that was ahead (later than now): each is made again when its time comes",
    );
  });
});

describe("what a digest made short of the poll after its period says", () => {
  const said = (s: ReturnType<typeof setup>) =>
    digestText(s.daily().at(-1)?.message ?? { text: "", blocks: [], replies: [] });

  it("after a night down and a first poll that fails: how far the polls before read", async () => {
    // The last poll before the stop read the log to 22:00; started again at noon, Atlassian
    // answers 503: nothing after 22:00 is stored, eleven hours of the period.
    const clock = new VirtualClock(NINE + 3 * 60 * MINUTE);
    const s = setup(clock, { lastProcessedAt: NINE - 11 * 60 * MINUTE });
    s.poll.readThrough = null;
    await s.scheduler.catchUp();
    clock.advance(15 * MINUTE + 1_000);
    await s.scheduler.tick();
    expect(s.daily().at(-1)?.periodEnd).toBe(NINE);
    expect(said(s)).toContain(
      "The audit log could not be read to the end of this period: calls Atlassian recorded after 2026-11-23 22:00 UTC are not counted",
    );
  });

  it("read past the period's end, less than 30 s past: only calls of its last seconds may be missing", async () => {
    const clock = new VirtualClock(NINE - MINUTE);
    const s = setup(clock);
    s.poll.readThrough = NINE - 2 * MINUTE;
    await s.scheduler.catchUp();
    clock.advance(MINUTE + 1_000);
    await s.scheduler.tick();
    s.poll.readThrough = NINE + 10_000; // the poll begun at 09:00:10 read the log; none after
    clock.advance(15 * MINUTE);
    await s.scheduler.tick();
    expect(said(s)).toContain(
      "The audit log could not be read to the end of this period: calls made in its last seconds may be missing (Atlassian had not recorded them when the log was last read)",
    );
  });
});

/**
 * A daily and a weekly digest made by a clock that was ahead, at the same time
 * (DIGEST_CRON `0 9 * * *`, DIGEST_WEEKLY_CRON `0 9 * * 1`, as docs suggest): both are set aside at
 * start and both are made again when their time comes. Real SQLite file.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DigestScheduler } from "../../src/digest/schedule.js";
import { queueDigest, unqueueDigest } from "../../src/slack/digest-outbox.js";
import { DigestRecordStore } from "../../src/store/digests.js";
import { openStore } from "../../src/store/open.js";
import { PollStateStore } from "../../src/store/poll-state.js";
import { repositories } from "../../src/store/repositories.js";
import { DAY, HOUR, MINUTE } from "../../src/time-units.js";
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
      // As the bot queues them, to the alert channel.
      queue: (digest, now) => queueDigest(stores.outbox, digest, "C-ALERTS", now),
      unqueue: (id, now) => unqueueDigest(stores.outbox, id, now),
    });
  return {
    daily: scheduler("daily", "0 9 * * *"),
    weekly: scheduler("weekly", "0 9 * * 1"),
    poll,
    log,
    stores,
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

describe("a digest made by a clock that was ahead, still waiting in the outbox", () => {
  it("is not sent after a restart with the right clock", async () => {
    const path = join(tempDir(), "digest.db");
    // Booted three days ahead; Slack unreachable, so the digest's message waits in the outbox.
    const ahead = new VirtualClock(NINE + 3 * DAY + MINUTE);
    const wrong = setup(ahead, path);
    wrong.poll.readThrough = ahead.now();
    await wrong.daily.catchUp();
    const madeAhead = wrong.records().find((r) => r.periodEnd === NINE + 3 * DAY);
    expect(madeAhead).toBeDefined();
    const key = `digest:${madeAhead?.id}`;
    expect(wrong.stores.outbox.statesOf(key).map((s) => s.state)).toContain("pending");

    // Restarted with the right clock: the digest is set aside.
    const clock = new VirtualClock(NINE + MINUTE);
    const s = setup(clock, path);
    s.poll.readThrough = clock.now();
    await s.daily.catchUp();
    expect(s.records().find((r) => r.id === madeAhead?.id)?.kind).toMatch(/^ahead-/);
    // ... and its message is never sent.
    expect(s.stores.outbox.statesOf(key).map((x) => x.state)).toEqual(["dropped"]);
    const claim = s.stores.outbox.claimNext({
      now: clock.now(),
      owner: "bot",
      nonce: "n1",
      leaseMs: 60_000,
      lookUpAfterMs: 60_000,
      spacingMs: 1_000,
      kinds: new Set(["digest", "digest-reply", "digest-chart"]),
      blocked: () => false,
      alive: () => true,
    });
    expect(claim.item?.key).not.toBe(key);
  });
});

describe("a clock stepped back while the bot runs", () => {
  it("makes the digest of a period whose digest was made while the clock was ahead", async () => {
    const clock = new VirtualClock(NINE - HOUR); // Tuesday 08:00, right
    const { daily: scheduler, poll, records } = setup(clock, join(tempDir(), "digest.db"));
    await scheduler.catchUp();
    await scheduler.tick();

    // The clock jumps a day ahead (Wednesday 09:01) and the bot makes "Wednesday's" digest.
    clock.advance(DAY + HOUR + MINUTE);
    poll.readThrough = clock.now();
    await scheduler.tick();
    expect(records().map((r) => r.periodEnd)).toContain(NINE + DAY);

    // NTP steps it back: Tuesday 08:01. Tuesday 09:00 comes, then Wednesday 09:00.
    clock.advance(-DAY - HOUR);
    for (const end of [NINE, NINE + DAY]) {
      clock.advance(end + MINUTE - clock.now());
      poll.readThrough = end + MINUTE;
      await scheduler.tick();
    }
    // Wednesday's period (Tuesday 09:00 → Wednesday 09:00) has a digest made after it ended.
    // (made after Tuesday's: the one made while the clock was ahead was made before it).
    const daily = (end: number) =>
      records().find((r) => r.kind === "daily" && r.periodEnd === end)?.id ?? 0;
    expect(daily(NINE)).toBeGreaterThan(0);
    expect(daily(NINE + DAY)).toBeGreaterThan(daily(NINE));
  });
});

describe("a host booted with its clock an hour ahead, across the digest's time", () => {
  it("makes that day's daily and weekly digests when their time really comes, after NTP steps the clock back", async () => {
    // Really Monday 08:30; the clock says 09:30.
    const clock = new VirtualClock(MONDAY + 30 * MINUTE);
    const s = setup(clock, join(tempDir(), "digest.db"));
    s.poll.readThrough = clock.now();
    await s.daily.catchUp();
    await s.weekly.catchUp();
    // NTP steps the clock back an hour: 08:31, right. Both digests made ahead are set aside.
    clock.advance(-HOUR + MINUTE);
    await s.daily.tick();
    await s.weekly.tick();
    expect(s.log.text()).toContain("1 daily digest made by a clock that was ahead");
    expect(s.log.text()).toContain("1 weekly digest made by a clock that was ahead");
    // 09:00 really comes; the loops tick each minute until 10:00.
    while (clock.now() < MONDAY + HOUR) {
      clock.advance(MINUTE);
      s.poll.readThrough = clock.now();
      await s.daily.tick();
      await s.weekly.tick();
    }
    const made = s.records().filter((r) => r.periodEnd === MONDAY && !r.kind.startsWith("ahead-"));
    expect(made.map((r) => r.kind).sort()).toEqual(["daily", "weekly"]);
    // Made at its time, not late: the bot was running.
    expect(made.every((r) => !r.late)).toBe(true);
  });
});

describe("a host rebooted after the digest's time with its clock an hour ahead", () => {
  it("keeps the digest the catch-up made once NTP steps the clock back: its period had ended", async () => {
    const path = join(tempDir(), "digest.db");
    // Sunday's digest, made on time before the reboot.
    const sunday = new VirtualClock(MONDAY - DAY + MINUTE);
    const before = setup(sunday, path);
    before.poll.readThrough = sunday.now();
    await before.daily.catchUp();
    const dailies = before.records().filter((r) => r.kind === "daily");
    expect(dailies.map((r) => r.periodEnd)).toEqual([MONDAY - DAY]);

    // Rebooted really at Monday 09:30; the host's clock says 10:30. The catch-up makes Monday's.
    const clock = new VirtualClock(MONDAY + 90 * MINUTE);
    const s = setup(clock, path);
    s.poll.readThrough = clock.now();
    await s.daily.catchUp();
    const monday = s.records().find((r) => r.kind === "daily" && r.periodEnd === MONDAY);
    expect(monday).toBeDefined();

    // NTP steps the clock back: 09:31, right. The loop ticks each minute until Tuesday 09:05.
    clock.advance(-HOUR + MINUTE);
    while (clock.now() < MONDAY + DAY + 5 * MINUTE) {
      s.poll.readThrough = clock.now();
      await s.daily.tick();
      clock.advance(MINUTE);
    }
    expect(s.log.text()).not.toContain("made by a clock that was ahead");
    // Monday's digest stands, its message still to be sent ...
    const daily = s.records().filter((r) => r.kind === "daily");
    expect(daily.find((r) => r.periodEnd === MONDAY)?.id).toBe(monday?.id);
    expect(s.stores.outbox.statesOf(`digest:${monday?.id}`).map((x) => x.state)).toEqual([
      "pending",
    ]);
    // ... and Tuesday's covers Monday 09:00 to Tuesday 09:00, not two days.
    expect(daily.find((r) => r.periodEnd === MONDAY + DAY)?.periodStart).toBe(MONDAY);
  });
});

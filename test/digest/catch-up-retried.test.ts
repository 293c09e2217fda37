import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DigestScheduler } from "../../src/digest/schedule.js";
import { DigestRecordStore } from "../../src/store/digests.js";
import { openStore } from "../../src/store/open.js";
import { PollStateStore } from "../../src/store/poll-state.js";
import { repositories } from "../../src/store/repositories.js";
import { DAY, HOUR } from "../../src/time-units.js";
import { normalizedEvent } from "../detect/fixtures.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { capturedLogger } from "../helpers/logs.js";
import { tempDir } from "../helpers/tmp.js";

/** 2026-11-24 07:30 UTC = 08:30 in Berlin: yesterday's 09:00 digest was missed while down. */
const START = Date.UTC(2026, 10, 24, 7, 30);
const MISSED = Date.UTC(2026, 10, 23, 8);
const MINUTE = 60_000;

function setup() {
  const db = openStore(join(tempDir(), "digest.db"));
  const firstStart = START - 3 * DAY;
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
  const clock = new VirtualClock(START);
  const log = capturedLogger();
  const stores = repositories(db);
  const scheduler = new DigestScheduler({
    stores,
    clock,
    logger: log.logger,
    orgId: "org-1",
    cron: "0 9 * * *",
    timeZone: "Europe/Berlin",
    health: () => ({ lagSeconds: 0, quarantined: 0, keyRejected: false, lastError: null }),
  });
  const stop = new AbortController();
  let loop: Promise<void> | undefined;
  /** Starts the worker (its catch-up first) and lets it run on the virtual clock until `at`. */
  const runUntil = async (at: number) => {
    loop ??= scheduler.worker.run(stop.signal);
    while (clock.now() < at) await new Promise((resolve) => setImmediate(resolve));
  };
  const stopped = async () => {
    stop.abort();
    await loop;
  };
  const daily = () =>
    records
      .list("org-1")
      .filter((r) => r.kind === "daily")
      .map((d) => [d.periodEnd, d.late]);
  /** An MCP call on the missed day, stored before this start: its digest has a chart. */
  const storeCall = () => {
    const event = normalizedEvent({ time: MISSED - 2 * HOUR });
    db.transaction(() => stores.events.insertMany([event], START - DAY))();
  };
  return { db, scheduler, log, runUntil, stopped, daily, storeCall };
}

/**
 * A pass the database failed is tried again within 5 minutes (docs/troubleshooting.md): the
 * start's catch-up of the digest missed while the bot was down too, until it is made.
 */
describe("the digest missed while down, when the database cannot be written at start", () => {
  it("is made, late, within minutes of the file being writable again", async () => {
    const s = setup();
    s.db.pragma("query_only = ON"); // read-only as the bot starts
    await s.runUntil(START + 1);
    expect(s.scheduler.worker.health().lastError).toMatchObject({ kind: "database" });

    s.db.pragma("query_only = OFF");
    await s.runUntil(START + 10 * MINUTE);
    await s.stopped();
    expect(s.scheduler.worker.health().ok).toBe(true);
    expect(s.daily()).toEqual([[MISSED, true]]);
  });

  it("keeps the digest's worker failing while the disk is full, said once, until it is made", async () => {
    const s = setup();
    s.storeCall();
    // The disk is full: no page beyond those the file has. The digest's chart needs new pages; a
    // tick with nothing due (the backfill summary has no calls, so no chart) writes nothing new.
    const pages = Number(s.db.pragma("page_count", { simple: true }));
    s.db.pragma(`max_page_count = ${pages}`);
    await s.runUntil(START + 5 * MINUTE);
    expect(s.scheduler.worker.health()).toMatchObject({
      ok: false,
      lastError: { kind: "database", message: expect.stringContaining("SQLITE_FULL") },
    });
    expect(s.daily()).toEqual([]);

    s.db.pragma("max_page_count = 1073741823");
    await s.runUntil(START + 10 * MINUTE);
    await s.stopped();
    expect(s.scheduler.worker.health().ok).toBe(true);
    expect(s.daily()).toEqual([[MISSED, true]]);
    const errors = s.log
      .lines()
      .filter((l) => l.level === 50)
      .map((l) => l.msg);
    expect(errors).toEqual([
      "the daily digest could not be prepared: the database's disk is full (SQLITE_FULL): free space on the disk that holds DATABASE_PATH; trying again in 1 minute",
    ]);
  });
});

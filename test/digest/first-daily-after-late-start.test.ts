/**
 * The first daily digest after the first start's summary of the history (the digest at 09:00
 * Berlin): it starts where the summary ends, at the first start, whether that came an hour after
 * the digest's time or half an hour before it, whether the running bot makes it or the catch-up of
 * a bot started after its time, before the summary was made; and `digest --dry-run --date`
 * previews that period. A real SQLite file, the scheduler on a virtual clock, the built CLI.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { digestText } from "../../src/digest/build.js";
import { DigestScheduler } from "../../src/digest/schedule.js";
import type { NormalizedEvent } from "../../src/domain/event.js";
import { openStore } from "../../src/store/open.js";
import { type Repositories, repositories } from "../../src/store/repositories.js";
import { DAY, MINUTE } from "../../src/time-units.js";
import { normalizedEvent } from "../detect/fixtures.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { closeAfterTest } from "../helpers/cleanup.js";
import { runCli } from "../helpers/cli.js";
import { capturedLogger } from "../helpers/logs.js";
import { tempDir } from "../helpers/tmp.js";

/** 09:00 in Berlin on 2026-11-24 and the next day. */
const NINE = Date.UTC(2026, 10, 24, 8);
const NINE_NEXT = NINE + DAY;

/**
 * The history read by a first start at `start`: Ann's call half an hour before it is in it (the
 * summary names her as new); no digest made yet. `lou()` stores Lou's call, 70 minutes before the
 * start, which Atlassian recorded after it (live, in no summary).
 */
function historyRead(start: number) {
  const path = join(tempDir(), "digest.db");
  const db = openStore(path);
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
  const lou = () =>
    stores.transaction(() =>
      stores.events.insertMany([call(2, "lou", start - 70 * MINUTE, false)], start + 11 * MINUTE),
    );
  return { path, db, stores, lou };
}

/** The daily digest's scheduler, started at `at`. */
function schedulerAt(stores: Repositories, at: number) {
  const clock = new VirtualClock(at);
  const scheduler = new DigestScheduler({
    stores,
    clock,
    logger: capturedLogger().logger,
    orgId: "org-1",
    cron: "0 9 * * *",
    timeZone: "Europe/Berlin",
    health: () => ({ lagSeconds: 0, quarantined: 0, keyRejected: false, lastError: null }),
  });
  return { clock, scheduler };
}

/** The summary, and the daily digests' periods and text. */
function digests(stores: Repositories) {
  const of = (kind: string) => stores.digests.list("org-1").filter((r) => r.kind === kind);
  const text = (kind: string) =>
    of(kind)
      .map((r) => digestText(r.message))
      .join("\n");
  return {
    kinds: stores.digests.list("org-1").map((d) => d.kind),
    summary: text("backfill"),
    periods: of("daily").map((d) => [d.periodStart, d.periodEnd]),
    daily: text("daily"),
  };
}

/** The first start at `start`, running until the digest's first time after it. */
async function firstDaily(start: number) {
  const { stores, lou } = historyRead(start);
  const { clock, scheduler } = schedulerAt(stores, start + 2 * MINUTE);
  await scheduler.catchUp();
  await scheduler.tick();
  const { summary } = digests(stores);
  lou();
  const due = start < NINE ? NINE : NINE_NEXT;
  clock.advance(due + MINUTE - clock.now());
  await scheduler.tick();
  return { ...digests(stores), summary };
}

/** The people a digest names as using MCP for the first time (and what follows them). */
const newcomers = (daily: string) => daily.split("for the first time")[1] ?? "";

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
    expect(newcomers(daily)).toContain("lou");
    expect(newcomers(daily)).not.toContain("ann");
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
    expect(newcomers(daily)).toContain("lou");
    expect(newcomers(daily)).not.toContain("ann");
  });

  it("made by the catch-up of a bot started after its time, the history read before any summary (poll --once, or a stop just after the read), follows the summary made first", async () => {
    const start = NINE + 60 * MINUTE; // the history read at 10:00 Berlin
    const { stores, lou } = historyRead(start);
    lou();
    // Started the next day at 09:30 Berlin: no summary was made.
    const { scheduler } = schedulerAt(stores, NINE_NEXT + 30 * MINUTE);
    await scheduler.catchUp();
    await scheduler.tick();
    const { kinds, summary, periods, daily } = digests(stores);
    expect(kinds).toEqual(["backfill", "daily"]); // queued, and so posted, in this order
    expect(summary).toContain("ann");
    expect(periods).toEqual([[start, NINE_NEXT]]);
    expect(daily).toContain(
      "1 MCP call by 1 person from earlier periods arrived after their digest (earliest 2026-11-24 07:50 UTC)",
    );
    expect(newcomers(daily)).toContain("lou");
    expect(newcomers(daily)).not.toContain("ann");
  });
});

describe("digest --dry-run --date of the first daily digest after a first start later than its time", () => {
  /** The preview of 2026-11-25 through the built CLI, on the database the bot uses. */
  async function preview(path: string) {
    const out = await runCli(["digest", "--dry-run", "--date", "2026-11-25"], {
      DATABASE_PATH: path,
      ATLASSIAN_ORG_ID: "org-1",
      DIGEST_TIMEZONE: "Europe/Berlin",
      LOG_LEVEL: "warn",
    });
    expect(out.code, out.stderr).toBe(0);
    return out.stdout;
  }

  it("covers the period the bot posts, from the first start, once the summary is made", async () => {
    const start = NINE + 60 * MINUTE; // 10:00 Berlin
    const { path, db, stores, lou } = historyRead(start);
    const { scheduler } = schedulerAt(stores, start + 2 * MINUTE);
    await scheduler.catchUp();
    await scheduler.tick();
    expect(digests(stores).kinds).toEqual(["backfill"]);
    lou();
    db.close();
    const out = await preview(path);
    expect(out).toContain("2026-11-24 09:00 UTC – 2026-11-25 08:00 UTC");
    expect(out).toContain("1 MCP call by 1 person from earlier periods arrived after their digest");
    expect(newcomers(out)).toContain("lou");
    expect(newcomers(out)).not.toContain("ann");
  });

  it("covers the same period while the summary is still owed (the history read by poll --once)", async () => {
    const start = NINE + 60 * MINUTE;
    const { path, db } = historyRead(start);
    db.close();
    const out = await preview(path);
    expect(out).toContain("2026-11-24 09:00 UTC – 2026-11-25 08:00 UTC");
    expect(newcomers(out)).not.toContain("ann");
  });
});

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { digestText } from "../../src/digest/build.js";
import { DigestScheduler } from "../../src/digest/schedule.js";
import { openStore } from "../../src/store/open.js";
import { repositories } from "../../src/store/repositories.js";
import { DAY, HOUR, MINUTE } from "../../src/time-units.js";
import { normalizedEvent } from "../detect/fixtures.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { capturedLogger } from "../helpers/logs.js";
import { tempDir } from "../helpers/tmp.js";

/** Tuesday 2026-11-24 09:00 UTC: DIGEST_CRON `0 9 * * *`, DIGEST_WEEKLY_CRON `0 9 * * 2`. */
const NINE = Date.UTC(2026, 10, 24, 9);
const WEEK = 7 * DAY;

/** A store whose history was read three days ago, and the scheduler of one kind of digest. */
function setup(kind: "daily" | "weekly") {
  const clock = new VirtualClock(NINE - MINUTE);
  const db = openStore(join(tempDir(), "digest.db"));
  const stores = repositories(db);
  stores.pollStates.save(
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
  const poll = { readThrough: (NINE - 2 * MINUTE) as number | null };
  const scheduler = new DigestScheduler({
    stores,
    clock,
    logger: capturedLogger().logger,
    orgId: "org-1",
    kind,
    cron: kind === "daily" ? "0 9 * * *" : "0 9 * * 2",
    timeZone: "UTC",
    readThrough: () => poll.readThrough,
    pollSoon: () => {},
    health: () => ({ lagSeconds: 0, quarantined: 0, keyRejected: false, lastError: null }),
  });
  /** A call made at `time` by `who`, stored by a poll at `storedAt` (the clock moves there). */
  const store = (
    id: string,
    time: number,
    storedAt: number,
    who = "carol",
    tool = "getJiraIssue",
  ) => {
    clock.advance(storedAt - clock.now());
    const event = normalizedEvent({
      id,
      time,
      processedAt: storedAt - 10_000,
      userId: `acc-${who}`,
      userName: `${who[0]?.toUpperCase()}${who.slice(1)} New`,
      userEmail: `${who}@example.com`,
      actorId: `acc-${who}`,
      tool,
    });
    db.transaction(() => stores.events.insertMany([event], storedAt))();
  };
  /** The digest of the period ending at `end`, made as the bot makes it after a poll read through. */
  const digestAt = async (end: number) => {
    clock.advance(end + 70_000 - clock.now());
    poll.readThrough = end + 65_000;
    await scheduler.tick();
    const made = stores.digests.byPeriod("org-1", kind, end);
    if (!made) throw new Error("no digest made");
    return digestText(made.message);
  };
  return { scheduler, store, digestAt };
}

describe("a call Atlassian records after its period's digest was made", () => {
  it("is new to the next digest: its person is named as a first-time user, and it is said to have arrived late", async () => {
    const s = setup("daily");
    await s.scheduler.catchUp();
    // Dave's first call is stored before the 09:00 digest, which names him.
    s.store("dave-first", NINE - 30 * MINUTE, NINE - 20 * MINUTE, "dave");
    expect(await s.digestAt(NINE)).toContain("Dave New");
    // Carol's first call, at 08:50, reaches the store at 11:00: after the 09:00 digest.
    s.store("late-first", NINE - 10 * MINUTE, NINE + 2 * HOUR);
    for (const h of [3, 4, 5]) {
      s.store(`carol-${h}`, NINE + h * HOUR, NINE + h * HOUR + 20_000);
      s.store(`dave-${h}`, NINE + h * HOUR, NINE + h * HOUR + 20_000, "dave");
    }
    const next = await s.digestAt(NINE + DAY);
    expect(next).toContain("6 MCP calls");
    const firstTime = next.slice(next.indexOf("People who used MCP for the first time"));
    expect(firstTime).toContain("Carol New");
    // Dave was named the day before: seen.
    expect(firstTime).not.toContain("Dave New");
    expect(next).toContain(
      "1 MCP call by 1 person from earlier periods arrived after their digest (earliest 2026-11-24 08:50 UTC)",
    );
    // Said once: the digest after does not count it again, nor Carol as new.
    const third = await s.digestAt(NINE + 2 * DAY);
    expect(third).not.toContain("arrived after their digest");
    expect(third).not.toContain("Carol New");
  });

  it("a late call alone: the next digest, quiet itself, says it arrived and names its first-time user", async () => {
    const s = setup("daily");
    await s.scheduler.catchUp();
    await s.digestAt(NINE);
    s.store("late-only", NINE - 10 * MINUTE, NINE + 2 * HOUR);
    s.store("later", NINE - 5 * MINUTE, NINE + 3 * HOUR, "erin");
    const next = await s.digestAt(NINE + DAY);
    expect(next).toMatch(/No MCP activity in this period/);
    expect(next).toContain(
      "2 MCP calls by 2 people from earlier periods arrived after their digest",
    );
    expect(next).toContain("People who used MCP for the first time");
    expect(next).toContain("Carol New");
  });
});

describe("the weekly digest's 'what changed', and a tool first used in calls stored after the last one", () => {
  it("names in the next week the tool whose first call reached the store after the weekly digest of its week", async () => {
    const s = setup("weekly");
    await s.scheduler.catchUp();
    s.store("old", NINE - 2 * DAY, NINE - 2 * DAY + MINUTE);
    expect(await s.digestAt(NINE)).toContain("getJiraIssue (1 call, 1 person)");
    // A first call of deleteJiraIssue at 08:55, stored at 11:00, then another the next day.
    s.store("late-new-tool", NINE - 5 * MINUTE, NINE + 2 * HOUR, "carol", "deleteJiraIssue");
    s.store("next-day", NINE + DAY, NINE + DAY + MINUTE, "carol", "deleteJiraIssue");
    s.store("seen-tool", NINE + DAY, NINE + DAY + MINUTE, "carol", "getJiraIssue");
    const next = await s.digestAt(NINE + WEEK);
    const changed = next.slice(next.indexOf("What changed"));
    expect(changed).toContain("deleteJiraIssue (2 calls, 1 person)");
    expect(changed).not.toContain("getJiraIssue");
    // Whether a daily counted it depends on both schedules: the weekly speaks of weeklies alone.
    expect(next).toContain(
      "1 MCP call by 1 person from earlier weeks arrived after the last weekly digest (earliest 2026-11-24 08:55 UTC): no weekly digest's figures count it.",
    );
    expect(next).not.toContain("daily");
  });
});

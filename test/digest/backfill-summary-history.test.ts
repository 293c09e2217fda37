/**
 * The first start's summary reports the history the backfill stored (Atlassian processed it before
 * the first start), whatever its event time; calls processed after the first start are live, and
 * the first daily digest reports them, also those dated before the first start.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { digestText } from "../../src/digest/build.js";
import { DigestScheduler } from "../../src/digest/schedule.js";
import type { NormalizedEvent } from "../../src/domain/event.js";
import { openStore } from "../../src/store/open.js";
import { repositories } from "../../src/store/repositories.js";
import { DAY, HOUR, MINUTE } from "../../src/time-units.js";
import { normalizedEvent } from "../detect/fixtures.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { capturedLogger } from "../helpers/logs.js";
import { tempDir } from "../helpers/tmp.js";

/** 2026-11-24 07:30 UTC = 08:30 in Berlin: the first start, half an hour before the digest. */
const START = Date.UTC(2026, 10, 24, 7, 30);
const FROM = START - 7 * DAY;

let next = 0;
function call(who: string, time: number, backfilled: boolean, tool = "getJiraIssue") {
  next++;
  const event = normalizedEvent({
    id: `ev-${next}`,
    time,
    processedAt: backfilled ? START - MINUTE : START + MINUTE,
    userId: `acc-${who}`,
    userName: who,
    userEmail: `${who}@example.com`,
    tool,
    toolClass: tool === "deleteJiraIssue" ? "destructive" : "read",
    backfilled,
  });
  return event as NormalizedEvent;
}

describe("the first start's history summary", () => {
  it("counts the rows the backfill stored, none live; the first daily digest reports the live ones", async () => {
    const stores = repositories(openStore(join(tempDir(), "summary.db")));
    const history = [
      ...["ann", "bea", "cid"].map((who) => call(who, FROM + DAY, true)),
      // Atlassian recorded these two late: dated before the history's start, processed in it.
      ...["dan", "eve"].map((who) => call(who, FROM - 2 * HOUR, true)),
    ];
    // Made five minutes before the first start, processed after it: live, alerted live.
    const live = ["lou", "max", "ned", "oli"].map((who) =>
      call(who, START - 5 * MINUTE, false, "deleteJiraIssue"),
    );
    stores.transaction(() => stores.events.insertMany([...history, ...live], START + 2 * MINUTE));
    stores.pollStates.save(
      {
        orgId: "org-1",
        cursor: null,
        lastProcessedAt: START + MINUTE,
        backfillFrom: FROM,
        backfillUntil: START,
        backfillDone: true,
      },
      START + 2 * MINUTE,
    );
    const clock = new VirtualClock(START + 3 * MINUTE);
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
    const text = (kind: string) =>
      stores.digests
        .list("org-1")
        .filter((r) => r.kind === kind)
        .map((r) => digestText(r.message))
        .join("\n");
    const summary = text("backfill");
    expect(summary).toContain("MCP activity found in the history fetched on first start");
    expect(summary).toContain("5 MCP calls · 5 people · 1 tool");
    expect(summary).toContain("read 5 · search 0 · write 0 · destructive 0");
    for (const who of ["ann", "dan", "eve"]) expect(summary).toContain(who);
    for (const who of ["lou", "oli"]) expect(summary).not.toContain(who);

    clock.advance(Date.UTC(2026, 10, 25, 8, 1) - clock.now()); // 09:01 the next day
    await scheduler.tick();
    const daily = text("daily");
    expect(daily).toContain("Daily MCP activity digest");
    expect(daily).toContain("4 MCP calls by 4 people from earlier periods arrived");
    for (const who of ["lou", "oli"]) expect(daily).toContain(who);
    for (const who of ["ann", "dan"]) expect(daily).not.toContain(who);
  });
});

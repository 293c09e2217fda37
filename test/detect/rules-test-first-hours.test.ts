import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../src/domain/event.js";
import { DAY, MINUTE } from "../../src/time-units.js";
import { tempDir } from "../helpers/tmp.js";
import { event, person, setup } from "./engine-rig.js";
import { rules } from "./rules-command.js";

const SECOND = 1_000;

/** The event with its tool named in the raw JSON, as Atlassian does (see commands.test.ts). */
function withToolItem(e: NormalizedEvent): NormalizedEvent {
  const raw = JSON.parse(e.raw);
  raw.attributes.context.unshift({ type: "mcp-tool", attributes: { name: e.tool } });
  return { ...e, raw: JSON.stringify(raw) };
}

/** A first read by `who`, made at `time` and processed by Atlassian 40 s later (its usual lag). */
const firstCall = (who: string, time: number) =>
  withToolItem(
    event({
      ...person(`acc-${who}`, `${who}@example.com`),
      tool: "getJiraIssue",
      toolClass: "read",
      time,
      processedAt: time + 40 * SECOND,
    }),
  );

/**
 * An hour ago the bot started with no history (BACKFILL_DAYS=0): two people's first calls, each
 * read a second after Atlassian processed it. What `rules test --days 7` prints of it.
 */
async function firstHour() {
  const T = Date.now() - 60 * MINUTE;
  const s = setup("", T);
  const live = (e: NormalizedEvent, at: number) => {
    s.clock.advance(at - s.clock.now());
    s.store([e], at);
    s.engine().run();
  };
  live(firstCall("alice", T), T + 41 * SECOND);
  live(firstCall("bob", T + 10 * MINUTE), T + 10 * MINUTE + 41 * SECOND);
  const live_ = s.alerts().filter((a) => a.ruleId === "mcp-first-use");
  s.db.close();
  const file = join(tempDir(), "rules.yml");
  writeFileSync(file, "");
  const replay = await rules(["test"], { DATABASE_PATH: s.path, RULES_FILE: file }, { days: "7" });
  expect(replay.code, replay.err).toBe(0);
  return { live: live_, out: replay.out };
}

describe("rules test with less than a day stored", () => {
  it("counts the alerts the bot raised about calls made before the first one was processed", async () => {
    const { live, out } = await firstHour();
    expect(live.map((a) => [a.userEmail, a.notify])).toEqual([
      ["alice@example.com", true],
      ["bob@example.com", true],
    ]);
    expect(out).toMatch(/less than a day is stored/);
    // Alerts, events, posted, quieted: as the bot raised them ("counted high", never lower).
    const row = /^mcp-first-use\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$/m.exec(out);
    expect(row?.slice(1).map(Number)).toEqual([2, 2, 2, 0]);
  });

  it("says the hours stored count as one day, not '0 day(s)'", async () => {
    const { out } = await firstHour();
    // From the first call processed, 40 s after it was made an hour ago, to now.
    expect(out).toMatch(
      /^channel: 2 message\(s\) in (59 minute\(s\)|1 hour\(s\)), counted as 1 day; /m,
    );
    expect(out).toMatch(/ 2\.0 messages a day on average/);
  });

  it("replays a call processed in the days asked though it was made before them, as the bot judged it", async () => {
    const T = Date.now() - 60 * MINUTE;
    const s = setup("", T);
    // Made two days ago, processed by Atlassian (after an outage of its own) and read an hour ago.
    const late = { ...firstCall("carol", T - 2 * DAY), processedAt: T };
    s.store([late], T + SECOND);
    s.engine().run();
    expect(s.alerts().map((a) => [a.ruleId, a.notify])).toEqual([["mcp-first-use", true]]);
    s.db.close();
    const file = join(tempDir(), "rules.yml");
    writeFileSync(file, "");
    const replay = await rules(
      ["test"],
      { DATABASE_PATH: s.path, RULES_FILE: file },
      { days: "1" },
    );
    expect(replay.code, replay.err).toBe(0);
    expect(replay.out).toMatch(/^org-1: 1 events of the last 1 day\(s\) replayed$/m);
    expect(replay.out).toMatch(/^mcp-first-use\s+1\s+1\s+1\s+0$/m);
  });
});

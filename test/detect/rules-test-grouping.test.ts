import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../src/domain/event.js";
import { TrailStore } from "../../src/store/trail.js";
import { DAY, MINUTE } from "../../src/time-units.js";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";
import { event, person, setup } from "./engine-rig.js";

const RULES = "rules:\n  mcp-write:\n    severity: high\n";

/** The event with its tool named in the raw JSON, as Atlassian does (see commands.test.ts). */
function withToolItem(e: NormalizedEvent): NormalizedEvent {
  const raw = JSON.parse(e.raw);
  raw.attributes.context.unshift({ type: "mcp-tool", attributes: { name: e.tool } });
  return { ...e, raw: JSON.stringify(raw) };
}

/**
 * A store the live engine fills: a first day `daysStored` ago (someone else's call, which only
 * teaches the replay), then `live(events, at)` stores events read at `at` and runs the rules then.
 */
function liveBot(rules: string, daysStored = 3) {
  const now = Date.now();
  const first = now - daysStored * DAY;
  const s = setup(rules, first);
  s.store([event({ ...person("acc-bob", "bob@example.com"), time: first })], first);
  s.engine().run();
  const live = (events: NormalizedEvent[], at: number) => {
    s.clock.advance(at - s.clock.now());
    s.store(events, at);
    s.engine().run();
  };
  return { ...s, live, T: now - DAY };
}

/** An MCP read by an integration's API token, processed 5 seconds after it was made. */
const token = (time: number) =>
  withToolItem(
    event({
      ...person("acc-svc", "svc@serviceaccount.atlassian.com"),
      authKind: "api-token",
      authType: "api-token",
      tokenLabel: "nightly-report",
      tool: "getJiraIssue",
      toolClass: "read",
      time,
      processedAt: time + 5_000,
    }),
  );

const alice = person("acc-alice", "alice@example.com");
const write = (time: number, processedAt = time + 5_000) =>
  withToolItem(event({ ...alice, tool: "createJiraIssue", toolClass: "write", time, processedAt }));

/** The row `rules test --days 7` prints for `ruleId`: alerts, events, posted, quieted. */
async function replayed(path: string, rules: string, ruleId: string): Promise<number[]> {
  const file = join(tempDir(), "rules.yml");
  writeFileSync(file, rules);
  const replay = await runCli(["rules", "test", "--days", "7"], {
    DATABASE_PATH: path,
    RULES_FILE: file,
  });
  expect(replay.code, replay.stderr).toBe(0);
  const row = new RegExp(`^${ruleId}\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)$`, "m").exec(
    replay.stdout,
  );
  return row?.slice(1).map(Number) ?? [];
}

describe("rules test groups findings as the live bot did", () => {
  it("puts a late call into the older alert of its time, not a new one", async () => {
    const s = liveBot(RULES);
    s.live([write(s.T)], s.T + MINUTE); // alert 1
    s.live([write(s.T + 60 * MINUTE)], s.T + 61 * MINUTE); // alert 2, an hour later
    // Made at T+5 min, processed by Atlassian (and read) 85 minutes later: it grows alert 1.
    s.live([write(s.T + 5 * MINUTE, s.T + 89 * MINUTE)], s.T + 90 * MINUTE);
    const writes = s.alerts().filter((a) => a.ruleId === "mcp-write");
    expect(writes.map((a) => a.eventCount)).toEqual([2, 1]);
    s.db.close();
    expect(await replayed(s.path, RULES, "mcp-write")).toEqual([2, 3, 2, 0]);
  });

  it("moves an alert's first seen back with a late call, as the bot does", async () => {
    const s = liveBot(RULES);
    s.live([write(s.T)], s.T + MINUTE);
    // Two calls read late, each within the 10-minute window of the alert's earliest call.
    s.live([write(s.T - 8 * MINUTE, s.T + 89 * MINUTE)], s.T + 90 * MINUTE);
    s.live([write(s.T - 15 * MINUTE, s.T + 94 * MINUTE)], s.T + 95 * MINUTE);
    const writes = s.alerts().filter((a) => a.ruleId === "mcp-write");
    expect(writes.map((a) => [a.eventCount, a.firstSeen])).toEqual([[3, s.T - 15 * MINUTE]]);
    s.db.close();
    expect(await replayed(s.path, RULES, "mcp-write")).toEqual([1, 3, 1, 0]);
  });

  // An acknowledged alert is one someone is on: it takes its group's next findings as an open one
  // does (the bot no longer opens a second alert for them), and the replay groups them the same.
  it("grows an alert acknowledged meanwhile with a lower finding, as the bot does", async () => {
    const MEDIUM = "rules:\n  mcp-write:\n    severity: medium\n";
    const s = liveBot(MEDIUM);
    s.live([write(s.T)], s.T + MINUTE);
    const [first] = s.alerts().filter((a) => a.ruleId === "mcp-write");
    if (!first) throw new Error("no alert raised");
    const ack = new TrailStore(s.db);
    ack.change("org-1", first.id, "acknowledged", "U0RESP01", s.T + 2 * MINUTE, () => true);
    s.live([write(s.T + 5 * MINUTE)], s.T + 6 * MINUTE);
    const writes = s.alerts().filter((a) => a.ruleId === "mcp-write");
    expect(writes.map((a) => [a.eventCount, a.status])).toEqual([[2, "acknowledged"]]);
    s.db.close();
    expect(await replayed(s.path, MEDIUM, "mcp-write")).toEqual([1, 2, 1, 0]);
  });

  it("opens a new alert for a high finding after the bot's was acknowledged, as the bot does", async () => {
    const s = liveBot(RULES);
    s.live([write(s.T)], s.T + MINUTE);
    const [first] = s.alerts().filter((a) => a.ruleId === "mcp-write");
    if (!first) throw new Error("no alert raised");
    const ack = new TrailStore(s.db);
    ack.change("org-1", first.id, "acknowledged", "U0RESP01", s.T + 2 * MINUTE, () => true);
    s.live([write(s.T + 5 * MINUTE)], s.T + 6 * MINUTE);
    s.live([write(s.T + 7 * MINUTE)], s.T + 8 * MINUTE);
    const writes = s.alerts().filter((a) => a.ruleId === "mcp-write");
    expect(writes.map((a) => [a.eventCount, a.status])).toEqual([
      [1, "acknowledged"],
      [2, "open"],
    ]);
    s.db.close();
    expect(await replayed(s.path, RULES, "mcp-write")).toEqual([2, 3, 2, 0]);
  });

  it("opens a new alert where Mark expected had closed the bot's to more findings", async () => {
    const s = liveBot(RULES);
    s.live([write(s.T)], s.T + MINUTE);
    const [first] = s.alerts().filter((a) => a.ruleId === "mcp-write");
    if (!first) throw new Error("no alert raised");
    const trail = new TrailStore(s.db);
    trail.change("org-1", first.id, "expected", "U0RESP01", s.T + 2 * MINUTE, () => true);
    // Within the 10-minute window, but alert 1 is closed: a second alert, posted.
    s.live([write(s.T + 5 * MINUTE)], s.T + 6 * MINUTE);
    const writes = s.alerts().filter((a) => a.ruleId === "mcp-write");
    expect(writes.map((a) => [a.eventCount, a.notify])).toEqual([
      [1, true],
      [1, true],
    ]);
    s.db.close();
    expect(await replayed(s.path, RULES, "mcp-write")).toEqual([2, 2, 2, 0]);
  });

  it("alerts anew about a `once` subject whose alert was marked True positive", async () => {
    const s = liveBot("");
    s.live([token(s.T)], s.T + MINUTE);
    const [first] = s.alerts().filter((a) => a.ruleId === "mcp-api-token");
    if (!first) throw new Error("no alert raised");
    const trail = new TrailStore(s.db);
    trail.change("org-1", first.id, "true_positive", "U0RESP01", s.T + 2 * MINUTE, () => true);
    s.live([token(s.T + 60 * MINUTE)], s.T + 61 * MINUTE);
    const tokens = s.alerts().filter((a) => a.ruleId === "mcp-api-token");
    expect(tokens.map((a) => a.notify)).toEqual([true, true]);
    s.db.close();
    expect(await replayed(s.path, "", "mcp-api-token")).toEqual([2, 2, 2, 0]);
  });

  it("judges a `once` subject the bot alerted about before the days by the file's onceDays", async () => {
    const s = liveBot("", 25);
    s.live([token(s.T - 19 * DAY)], s.T - 19 * DAY + MINUTE);
    s.live([token(s.T)], s.T + MINUTE);
    // The bot, `once` for good, kept the second use to the digest.
    const tokens = s.alerts().filter((a) => a.ruleId === "mcp-api-token");
    expect(tokens.map((a) => a.notify)).toEqual([true, false]);
    s.db.close();
    const days = (n: number) => `rules:\n  mcp-api-token: { onceDays: ${n} }\n`;
    expect(await replayed(s.path, days(30), "mcp-api-token")).toEqual([1, 1, 0, 1]);
    expect(await replayed(s.path, days(10), "mcp-api-token")).toEqual([1, 1, 1, 0]);
  });

  it("starts a `once` subject alerted about again within the days from its alert before them", async () => {
    const rules = "rules:\n  mcp-api-token: { onceDays: 5 }\n";
    const s = liveBot(rules, 25);
    const use = (at: number) => s.live([token(at)], at + MINUTE);
    use(s.T - 9 * DAY); // alerted, 3 days before the 7 days replayed (from about T - 6 days)
    use(s.T - 5.5 * DAY); // 3.5 days on: quiet
    use(s.T - 3.5 * DAY); // 5.5 days on: alerted again
    use(s.T - 0.4 * DAY); // 3.1 days after that: quiet
    const inDays = s
      .alerts()
      .filter((a) => a.ruleId === "mcp-api-token" && a.firstSeen >= s.T - 6 * DAY);
    expect(inDays.map((a) => a.notify)).toEqual([false, true, false]);
    s.db.close();
    expect(await replayed(s.path, rules, "mcp-api-token")).toEqual([3, 3, 1, 2]);
  });
});

/**
 * What the bot told about a `once` subject is kept like the rest of its history: RETENTION_DAYS
 * after its latest alert's last call, or its rule's onceDays after the alert when longer. A
 * subject forgotten is told again at its next finding. A real SQLite file, the engine and the
 * daily pass over it.
 */
import { describe, expect, it } from "vitest";
import { Pruner } from "../../src/retention/pruner.js";
import { repositories } from "../../src/store/repositories.js";
import { DAY, HOUR, MINUTE } from "../../src/time-units.js";
import { setup, tokenCall } from "../detect/engine-rig.js";
import { T0 } from "../detect/fixtures.js";

/** The engine over a fresh store with `rules`, an API token's call, and the daily pass. */
function bot(rules: string, retentionDays: number) {
  const s = setup(rules);
  const call = (at: number) => {
    s.clock.advance(at - s.clock.now());
    s.store([tokenCall({ time: at, processedAt: at })], at);
    s.engine().run();
  };
  /** The daily pass at `at`; the subject rows left. */
  const prune = async (at: number) => {
    s.clock.advance(at - s.clock.now());
    await new Pruner({
      stores: repositories(s.db),
      clock: s.clock,
      logger: s.logs.logger,
      retentionDays,
      rules: s.config.rules,
    }).pruneOnce();
    return s.db.prepare("SELECT count(*) FROM alert_subjects").pluck().get();
  };
  const posted = () => s.alerts().filter((a) => a.ruleId === "mcp-api-token" && a.notify);
  return { s, call, prune, posted };
}

/**
 * An API token used at T0, the daily pass run with a retention of 30 days on `pruneDay`, and the
 * token used again on `callDay`: the days of the posted alerts, and the subject rows left.
 */
async function told(rules: string, pruneDay: number, callDay: number) {
  const b = bot(rules, 30);
  b.call(T0);
  const subjects = await b.prune(T0 + pruneDay * DAY);
  b.call(T0 + callDay * DAY);
  const posted = b.posted().map((a) => Math.round((a.firstSeen - T0) / DAY));
  return { posted, subjects };
}

describe("retention of once subjects", () => {
  it("keeps a subject alerted about for good while RETENTION_DAYS have not passed", async () => {
    expect(await told("", 29, 29)).toEqual({ posted: [0], subjects: 1 });
  });

  it("forgets it RETENTION_DAYS after its alert: its next finding is told again", async () => {
    expect(await told("", 31, 31)).toEqual({ posted: [0, 31], subjects: 0 });
  });

  it("keeps a steady token's subject while its alert takes calls, then forgets it", async () => {
    const b = bot("", 1); // mcp-api-token: once, for good
    let t = T0;
    for (; t <= T0 + 26 * HOUR; t += 9 * MINUTE) b.call(t);
    // Its alert is 26 hours old, its last call minutes: the token stays quiet as it goes on.
    expect(await b.prune(t)).toBe(1);
    for (; t <= T0 + 30 * HOUR; t += 9 * MINUTE) b.call(t);
    expect(b.posted().map((a) => a.eventCount)).toEqual([201]);
    // A day and more after its last call, the pass forgets it, and says so.
    expect(await b.prune(T0 + 55 * HOUR)).toBe(0);
    const passes = b.s.logs.lines().filter((l) => String(l.msg).startsWith("retention: pruned"));
    expect(passes.map((l) => l.subjectsForgotten)).toEqual([0, 1]);
    expect(passes[1]?.msg).toMatch(/; forgot 1 subject alerted about/);
    b.call(T0 + 56 * HOUR);
    expect(b.posted().map((a) => (a.firstSeen - T0) / HOUR)).toEqual([0, 56]);
  });

  it("keeps it for its rule's onceDays when longer than RETENTION_DAYS", async () => {
    const rules = "rules:\n  mcp-api-token: { onceDays: 60 }\n";
    expect(await told(rules, 45, 45)).toEqual({ posted: [0], subjects: 1 });
    expect(await told(rules, 61, 61)).toEqual({ posted: [0, 61], subjects: 0 });
  });
});

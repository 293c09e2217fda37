/**
 * What the bot told about a `once` subject is kept like the rest of its history: RETENTION_DAYS
 * after the subject's latest alert, or its rule's onceDays when longer. A subject forgotten is told
 * again at its next finding. A real SQLite file, the engine and the daily pass over it.
 */
import { describe, expect, it } from "vitest";
import { Pruner } from "../../src/retention/pruner.js";
import { repositories } from "../../src/store/repositories.js";
import { DAY } from "../../src/time-units.js";
import { setup, tokenCall } from "../detect/engine-rig.js";
import { T0 } from "../detect/fixtures.js";

/**
 * An API token used at T0, the daily pass run with a retention of 30 days on `pruneDay`, and the
 * token used again on `callDay`: the days of the posted alerts, and the subject rows left.
 */
async function told(rules: string, pruneDay: number, callDay: number) {
  const s = setup(rules);
  const call = (at: number) => {
    s.clock.advance(at - s.clock.now());
    s.store([tokenCall({ time: at, processedAt: at })], at);
    s.engine().run();
  };
  call(T0);
  s.clock.advance(T0 + pruneDay * DAY - s.clock.now());
  await new Pruner({
    stores: repositories(s.db),
    clock: s.clock,
    logger: s.logs.logger,
    retentionDays: 30,
    rules: s.config.rules,
  }).pruneOnce();
  const subjects = s.db.prepare("SELECT count(*) FROM alert_subjects").pluck().get();
  call(T0 + callDay * DAY);
  const posted = s
    .alerts()
    .filter((a) => a.ruleId === "mcp-api-token" && a.notify)
    .map((a) => Math.round((a.firstSeen - T0) / DAY));
  return { posted, subjects };
}

describe("retention of once subjects", () => {
  it("keeps a subject alerted about for good while RETENTION_DAYS have not passed", async () => {
    expect(await told("", 29, 29)).toEqual({ posted: [0], subjects: 1 });
  });

  it("forgets it RETENTION_DAYS after its alert: its next finding is told again", async () => {
    expect(await told("", 31, 31)).toEqual({ posted: [0, 31], subjects: 0 });
  });

  it("keeps it for its rule's onceDays when longer than RETENTION_DAYS", async () => {
    const rules = "rules:\n  mcp-api-token: { onceDays: 60 }\n";
    expect(await told(rules, 45, 45)).toEqual({ posted: [0], subjects: 1 });
    expect(await told(rules, 61, 61)).toEqual({ posted: [0, 61], subjects: 0 });
  });
});

/**
 * A `once` rule's subject stays known for the `onceDays` the rules file says now, counted from
 * its latest alert: an operator who sets, lowers or raises it and restarts the bot sees the
 * subjects already alerted about judged by the new value, not by the one in force when they
 * alerted. A subject's latest alert counts whatever mode raised it. A real SQLite file, the
 * engine restarted with the edited file.
 */
import { describe, expect, it } from "vitest";
import { parseRulesText } from "../../src/detect/rules-file.js";
import { DAY, HOUR, MINUTE } from "../../src/time-units.js";
import { setup, tokenCall } from "./engine-rig.js";
import { T0 } from "./fixtures.js";

/** The bot run at each [day after T0, rules file], with an API-token call that day. */
function runs(steps: ReadonlyArray<readonly [number, string]>) {
  const s = setup("");
  for (const [days, rules] of steps) {
    const at = T0 + days * DAY;
    s.clock.advance(at - s.clock.now());
    s.store([tokenCall({ time: at, processedAt: at })], at);
    s.engine(parseRulesText(rules, "rules.yml")).run();
  }
  return s;
}

/** The bot run with `rules`, then at each of `later` (days after T0) with `after`. */
function retuned(rules: string, after: string, later: readonly number[]) {
  return runs([[0, rules], ...later.map((days) => [days, after] as const)]);
}

/** The days after T0 of the posted alerts of `ruleId`. */
function postedDays(s: ReturnType<typeof setup>, ruleId: string): number[] {
  return s
    .alerts()
    .filter((a) => a.ruleId === ruleId && a.notify)
    .map((a) => Math.round((a.firstSeen - T0) / DAY));
}

describe("a once rule retuned after it alerted", () => {
  it("tells a posture contradiction alerted about for good again once onceDays is set", () => {
    const posture = "posture:\n  apiTokenAuth: off\n";
    const s = retuned(posture, `${posture}rules:\n  mcp-posture-drift: { onceDays: 7 }\n`, [30]);
    expect(postedDays(s, "mcp-posture-drift")).toEqual([0, 30]);
  });

  it("tells an API token's use alerted about for good again once onceDays is set", () => {
    const s = retuned("", "rules:\n  mcp-api-token: { onceDays: 30 }\n", [20, 60]);
    expect(postedDays(s, "mcp-api-token")).toEqual([0, 60]);
  });

  it("applies a lower onceDays to the subjects already alerted about", () => {
    const s = retuned(
      "rules:\n  mcp-api-token: { onceDays: 90 }\n",
      "rules:\n  mcp-api-token: { onceDays: 30 }\n",
      [45],
    );
    expect(postedDays(s, "mcp-api-token")).toEqual([0, 45]);
  });

  it("applies a higher onceDays to the subjects already alerted about", () => {
    const s = retuned(
      "rules:\n  mcp-api-token: { onceDays: 7 }\n",
      "rules:\n  mcp-api-token: { onceDays: 90 }\n",
      [30],
    );
    expect(postedDays(s, "mcp-api-token")).toEqual([0]);
  });

  it("counts onceDays from the subject's latest alert", () => {
    const days = "rules:\n  mcp-api-token: { onceDays: 30 }\n";
    const s = retuned(days, days, [40, 60, 71]);
    expect(postedDays(s, "mcp-api-token")).toEqual([0, 40, 71]);
  });

  it("switched to once from alert, keeps quiet about a subject alert mode told", () => {
    const s = retuned("rules:\n  mcp-api-token: { mode: alert }\n", "", [1, 2]);
    expect(postedDays(s, "mcp-api-token")).toEqual([0]);
  });

  it("switched to once from digest, tells each subject once on its next finding", () => {
    const s = retuned("rules:\n  mcp-api-token: { mode: digest }\n", "", [1, 2]);
    expect(postedDays(s, "mcp-api-token")).toEqual([1]);
  });

  it("switched back to once after alert mode, counts from alert mode's alert", () => {
    const alert = "rules:\n  mcp-api-token: { mode: alert }\n";
    expect(
      postedDays(
        runs([
          [0, ""],
          [1, alert],
          [2, ""],
          [3, ""],
        ]),
        "mcp-api-token",
      ),
    ).toEqual([0, 1]);
    const d30 = "rules:\n  mcp-api-token: { onceDays: 30 }\n";
    // Its latest alert, in alert mode, on day 20: on day 35 only 15 days have passed.
    expect(
      postedDays(
        runs([
          [0, d30],
          [20, alert],
          [35, d30],
          [51, d30],
        ]),
        "mcp-api-token",
      ),
    ).toEqual([0, 20, 51]);
  });

  it("tells a token used every 9 minutes again onceDays after its alert, not after its last call", () => {
    const s = setup("rules:\n  mcp-api-token: { onceDays: 1 }\n");
    const calls: number[] = [];
    for (let t = T0; t <= T0 + 26 * HOUR; t += 9 * MINUTE) calls.push(t);
    calls.push(T0 + 27 * HOUR);
    for (const at of calls) {
      s.clock.advance(at - s.clock.now());
      s.store([tokenCall({ time: at, processedAt: at })], at);
      s.engine().run();
    }
    // The first alert takes calls for 24 hours without counting as told again; the call a day
    // after it opens an alert of its own, which the next day's calls grow or keep quiet.
    const posted = s.alerts().filter((a) => a.ruleId === "mcp-api-token" && a.notify);
    expect(posted.map((a) => (a.firstSeen - T0) / HOUR)).toEqual([0, 24]);
    expect(posted.map((a) => a.eventCount)).toEqual([160, 14]);
  });
});

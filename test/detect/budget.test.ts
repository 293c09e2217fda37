import { describe, expect, it } from "vitest";
import {
  budgetFor,
  channelPlan,
  daysBetween,
  noiseOf,
  READABLE,
  sharedNoiseOf,
  verdict,
} from "../../src/detect/budget.js";
import { HOUR } from "../../src/time-units.js";

const DAY0 = Date.UTC(2026, 10, 2); // a Monday
const at = (hours: number, minutes = 0) => DAY0 + hours * HOUR + minutes * 60_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe("the channel's budget", () => {
  it("posts up to the hour's budget, then rolls up; high severity always posts", () => {
    expect(budgetFor({ severity: "medium" }, 9, 10)).toBe("post");
    expect(budgetFor({ severity: "medium" }, 10, 10)).toBe("rollup");
    expect(budgetFor({ severity: "high" }, 50, 10)).toBe("post");
  });

  it("always posts the organization's firsts (a tool or an AI tool new to it), and counts them so", () => {
    const first = { severity: "medium" as const, aboutOrganization: true };
    expect(budgetFor(first, 50, 10)).toBe("post");
    const alerts = [
      ...Array.from({ length: 4 }, (_, i) => ({ at: at(10, i), severity: "medium" as const })),
      { ...first, at: at(10, 30) },
    ];
    const plan = channelPlan(alerts, 3, day);
    // 3 posted, 1 rolled up, the organization's first posted alone.
    expect([plan.posted, plan.rolledUp, plan.rollups]).toEqual([4, 1, 1]);
  });

  it("counts one message per alert posted and one per hour that had a roll-up", () => {
    const alerts = [
      ...Array.from({ length: 5 }, (_, i) => ({ at: at(10, i), severity: "medium" as const })),
      { at: at(10, 30), severity: "high" as const },
      { at: at(11, 0), severity: "low" as const },
    ];
    const plan = channelPlan(alerts, 3, day);
    // 10:00 — 3 posted, 2 rolled up into one roll-up, the high one posted; 11:00 — a new hour.
    expect(plan).toEqual({
      perDay: new Map([["2026-11-02", 3 + 1 + 1 + 1]]),
      posted: 5,
      rolledUp: 2,
      rollups: 1,
      postedAlone: 0,
    });
  });

  it("counts an alert of a roll-up that became high once more, posted alone in the hour it did", () => {
    const alerts = [
      { at: at(10, 0), severity: "medium" as const },
      { at: at(10, 5), severity: "medium" as const, highAt: at(11, 10) },
      { at: at(10, 6), severity: "medium" as const, highAt: at(10, 7) },
      // Posted at once, then high: its message is updated, no other one.
      { at: at(11, 0), severity: "medium" as const, highAt: at(11, 5) },
      // Past 11:00's budget, which the alert posted alone at 11:10 took.
      { at: at(11, 20), severity: "medium" as const },
    ];
    const plan = channelPlan(alerts, 1, day);
    expect(plan).toEqual({
      // 10:00: one posted, a roll-up, one of it posted alone; 11:00: one posted, one alone, a roll-up.
      perDay: new Map([["2026-11-02", 3 + 3]]),
      posted: 2,
      rolledUp: 3,
      rollups: 2,
      postedAlone: 2,
    });
  });
});

describe("noise over days", () => {
  it("counts the quiet days in the mean and names the worst day", () => {
    const alerts = [
      { at: at(9), severity: "medium" as const },
      { at: at(10), severity: "medium" as const },
      { at: at(24 * 2 + 9), severity: "medium" as const },
    ];
    const noise = noiseOf(alerts, 10, DAY0, at(24 * 4));
    expect(noise).toEqual({
      days: 4,
      messages: 3,
      meanPerDay: 0.75,
      worst: { day: "2026-11-02", messages: 2 },
      posted: 3,
      rolledUp: 0,
      rollups: 0,
      postedAlone: 0,
    });
    expect(verdict(noise)).toBe(
      `readable: 0.8 messages a day on average, the worst day 2 on 2026-11-02 (a channel stays read at ≤ ${READABLE.meanPerDay} a day and ≤ ${READABLE.worstDay} on its worst day)`,
    );
  });

  it("calls a channel too noisy past either limit, and says what to change", () => {
    const busyDay = Array.from({ length: 30 }, (_, i) => ({
      at: at(0, i * 40),
      severity: "high" as const,
    }));
    const noise = noiseOf(busyDay, 10, DAY0, at(24 * 7));
    expect(noise.meanPerDay).toBeLessThan(READABLE.meanPerDay);
    expect(verdict(noise)).toMatch(
      /^too noisy: 4\.3 messages a day on average, the worst day 30 on 2026-11-02; .* set modes/,
    );
  });

  it("divides by the time counted, not the calendar days it touches", () => {
    // 7 days from 09:00: eight UTC days touched, seven days counted.
    const alerts = Array.from({ length: 77 }, (_, i) => ({
      at: at(9 + i * 2),
      severity: "medium" as const,
    }));
    const noise = noiseOf(alerts, 10, at(9), at(24 * 7 + 9));
    expect(noise.days).toBe(7);
    expect(noise.messages).toBe(77);
    expect(noise.meanPerDay).toBe(11);
    expect(verdict(noise)).toMatch(/^too noisy: 11\.0 messages a day/);
    // Less than a day counts as one: two hours are not extrapolated to a day.
    const brief = noiseOf(alerts.slice(0, 2), 10, at(9), at(11));
    expect(brief.meanPerDay).toBe(2);
  });

  it("adds up the messages of organizations sharing the channel, each under its own budget", () => {
    const hourOf = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ at: at(10, i), severity: "medium" as const }));
    const noise = sharedNoiseOf([hourOf(3), hourOf(4)], 3, DAY0, at(24));
    // 3 posted by the first; 3 posted and a roll-up by the second: no budget of the channel's.
    expect([noise.messages, noise.posted, noise.rolledUp, noise.rollups]).toEqual([7, 6, 1, 1]);
    expect(noise.worst).toEqual({ day: "2026-11-02", messages: 7 });
    const busy = Array.from({ length: 15 }, (_, i) => ({ at: at(i), severity: "high" as const }));
    // A week with one day of 15 is readable alone; the channel gets 30 that day.
    expect(verdict(noiseOf(busy, 10, DAY0, at(24 * 7)))).toMatch(/^readable: /);
    expect(verdict(sharedNoiseOf([busy, busy], 10, DAY0, at(24 * 7)))).toMatch(
      /^too noisy: 4\.3 messages a day on average, the worst day 30 on 2026-11-02/,
    );
  });

  it("lists every UTC day between two times", () => {
    expect(daysBetween(at(23), at(24 * 2 + 1))).toEqual(["2026-11-02", "2026-11-03", "2026-11-04"]);
  });
});

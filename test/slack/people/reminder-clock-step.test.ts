/**
 * Reminders set while the host's clock ran six hours ahead, once NTP steps it back: they come a
 * reminder's time (2 hours) after the post or the reminder before, not the step's 6 hours later.
 * Real Bolt, the fake Slack on 127.0.0.1, a real SQLite file, a virtual clock.
 */
import { describe, expect, it, vi } from "vitest";
import { HOUR, MINUTE } from "../../../src/time-units.js";
import { askRig } from "./ask-rig.js";

const STEP = 6 * HOUR;

/** Passes every five minutes for `minutes`; the reminders in the thread then. */
async function passes(a: Awaited<ReturnType<typeof askRig>>, ts: string, minutes: number) {
  for (let m = 0; m < minutes; m += 5) {
    a.clock.advance(5 * MINUTE);
    await a.pass();
  }
  return a.thread(ts).filter((t) => t.startsWith("⏰"));
}

describe("a high alert's reminders set while the clock ran six hours ahead", () => {
  it("the first comes about two hours after the post, not eight", async () => {
    const a = await askRig();
    const { where } = await a.postAlert({ ruleId: "mcp-destructive", severity: "high" });
    // NTP steps the clock back six hours, a minute after the post.
    a.clock.advance(MINUTE - STEP);
    expect(await passes(a, where.ts, 110)).toHaveLength(0);
    expect(await passes(a, where.ts, 20)).toHaveLength(1);
  }, 60_000);

  it("the last comes about two hours after the first, not eight", async () => {
    const a = await askRig();
    const { where } = await a.postAlert({ ruleId: "mcp-destructive", severity: "high" });
    expect(await passes(a, where.ts, 125)).toHaveLength(1);
    // The first reminder was sent; NTP steps the clock back six hours.
    a.clock.advance(-STEP);
    expect(await passes(a, where.ts, 110)).toHaveLength(1);
    const reminders = await passes(a, where.ts, 20);
    expect(reminders).toHaveLength(2);
    expect(reminders[1]).toContain("This is the last reminder.");
  }, 60_000);
});

describe("reminders kept to working hours, on a day the clock does not step", () => {
  it("are not moved, and nothing says the clock was ahead", async () => {
    const a = await askRig(
      "escalation:\n  afterMinutes: 120\n  workingHoursOnly: true\nworkingHours:\n  timezone: UTC\n  start: '09:00'\n  end: '18:00'\n",
    );
    // Friday 2026-11-13 18:30:40 UTC, after hours; the clock is right and only goes forward.
    a.clock.advance(Date.UTC(2026, 10, 13, 18, 30, 40) - a.clock.now());
    const { id } = await a.postAlert({ ruleId: "mcp-destructive", severity: "high" });
    // Two hours of working time: Monday 11:00.
    const set = a.store.get("org-1", id)?.nextReminderAt;
    expect(set).toBeGreaterThanOrEqual(Date.UTC(2026, 10, 16, 11, 0));
    // The passes of the next minutes.
    for (let s = 0; s < 5; s++) {
      a.clock.advance(20_000);
      await a.pass();
    }
    expect(a.store.get("org-1", id)?.nextReminderAt).toBe(set);
    expect(a.logs.text()).not.toContain("now due a reminder's time from now");
  });
});

describe("a step back of seconds (NTP correcting a clock slightly ahead)", () => {
  it("leaves the reminders as they were set", async () => {
    const a = await askRig();
    const { id } = await a.postAlert({ ruleId: "mcp-destructive", severity: "high" });
    const set = a.store.get("org-1", id)?.nextReminderAt;
    a.clock.advance(-30_000);
    await a.pass();
    expect(a.store.get("org-1", id)?.nextReminderAt).toBe(set);
    expect(a.logs.text()).not.toContain("now due a reminder's time from now");
  });
});

describe("a follow-ups pass with no reminder that could be late", () => {
  it("does not walk the working hours' calendar for the latest a reminder may be", async () => {
    // A week of working time, a Friday evening: the longest walk there is.
    const a = await askRig(
      "escalation:\n  afterMinutes: 10080\n  workingHoursOnly: true\nworkingHours:\n  timezone: Europe/Berlin\n  start: '09:00'\n  end: '17:00'\n",
    );
    a.clock.advance(Date.UTC(2026, 10, 13, 18) - a.clock.now());
    const walks = vi.spyOn(a.followUps, "reminderAfter");
    // No alert at all.
    await a.pass();
    expect(walks).not.toHaveBeenCalled();
    // An alert posted, its reminder set a week of working time on (weeks away): each pass then
    // walks to the latest a reminder may be, as it could be late.
    const { id } = await a.postAlert({ ruleId: "mcp-destructive", severity: "high" });
    const posted = walks.mock.calls.length;
    a.clock.advance(15_000);
    await a.pass();
    expect(walks).toHaveBeenCalledTimes(posted + 1);
    // Its reminders stopped (as when it is acknowledged): the passes walk nothing again.
    a.store.stopReminders("org-1", id);
    a.clock.advance(15_000);
    await a.pass();
    expect(walks).toHaveBeenCalledTimes(posted + 1);
  });
});

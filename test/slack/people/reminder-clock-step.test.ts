/**
 * Reminders set while the host's clock ran six hours ahead, once NTP steps it back: they come a
 * reminder's time (2 hours) after the post or the reminder before, not the step's 6 hours later.
 * Real Bolt, the fake Slack on 127.0.0.1, a real SQLite file, a virtual clock.
 */
import { describe, expect, it } from "vitest";
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

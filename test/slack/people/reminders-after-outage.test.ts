/**
 * Reminders that fell due while Slack was out of reach: what the alert's thread gets once it is
 * back. Real Bolt, the fake Slack on 127.0.0.1, a real SQLite file, a virtual clock.
 */
import { describe, expect, it } from "vitest";
import { HOUR } from "../../../src/time-units.js";
import { askRig } from "./ask-rig.js";

/** A high alert posted, then Slack out of reach (503) for six hours, a pass each hour: it is back. */
async function afterOutage() {
  const a = await askRig();
  const { where } = await a.postAlert({ ruleId: "mcp-destructive", severity: "high" });
  let down = false;
  a.slack.failNext("chat.postMessage", { status: 503 }, 100_000, () => down);
  a.clock.advance(HOUR);
  down = true;
  for (let h = 0; h < 6; h++) {
    a.clock.advance(HOUR);
    await a.pass();
  }
  down = false;
  return { a, where };
}

describe("a high alert's reminders due while Slack was out of reach for six hours", () => {
  it("are not both sent at once when Slack comes back: the last reminder comes a reminder's time after the first", async () => {
    const { a, where } = await afterOutage();
    a.clock.advance(16 * 60_000);
    for (let i = 0; i < 5; i++) {
      await a.pass();
      a.clock.advance(60_000);
    }
    const remindersNow = () =>
      a.slack
        .messages(where.channel)
        .filter((m) => m.thread_ts === where.ts && m.text.startsWith("⏰"));
    const reminders = remindersNow();
    // Both fell due in the outage: the first is sent once Slack is back, the last a reminder's
    // time after it, not seconds after.
    const at = reminders.map((m) => new Date(Number(m.ts) * 1000).toISOString());
    expect(reminders, at.join(", ")).toHaveLength(1);
    expect(reminders[0]?.text).not.toContain("This is the last reminder.");
    // Two hours later (the reminders' time), the last one.
    a.clock.advance(2 * HOUR);
    await a.pass();
    expect(remindersNow().map((m) => m.text.endsWith("This is the last reminder."))).toEqual([
      false,
      true,
    ]);
  });

  it("with passes every five minutes, sends the last a reminder's time after the first was sent", async () => {
    const { a, where } = await afterOutage();
    // Back: passes every five minutes for three hours.
    for (let i = 0; i < 36; i++) {
      a.clock.advance(5 * 60_000);
      await a.pass();
    }
    const reminders = a.slack
      .messages(where.channel)
      .filter((m) => m.thread_ts === where.ts && m.text.startsWith("⏰"));
    const at = reminders.map((m) => Number(m.ts) * 1000);
    const when = at.map((t) => new Date(t).toISOString()).join(", ");
    expect(reminders, when).toHaveLength(2);
    const [first = 0, last = 0] = at;
    expect(
      (last - first) / 60_000,
      `minutes between the reminders (${when})`,
    ).toBeGreaterThanOrEqual(115);
  }, 60_000);
});

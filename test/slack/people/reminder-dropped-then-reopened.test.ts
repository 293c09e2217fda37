/**
 * A reminder queued as a responder acknowledges the alert is dropped, never sent: it uses up no
 * reminder, so reopening the alert starts them again as if it had not been queued. Real Bolt,
 * the fake Slack, a virtual clock.
 */
import { describe, expect, it } from "vitest";
import { HOUR } from "../../../src/time-units.js";
import { askRig, RESPONDER } from "./ask-rig.js";

const MIN = 60_000;

/** The follow-up pass claims a reminder, then a responder's Acknowledge lands before it is sent. */
async function ackAsReminderQueued(
  a: Awaited<ReturnType<typeof askRig>>,
  id: number,
  where: { channel: string; ts: string },
) {
  await a.followUps.pass();
  await a.click("alert_acknowledge", RESPONDER, String(id), where);
  await a.slack.waitFor(() => a.alerts.get(id)?.status === "acknowledged", 5000, "the ack");
  await a.settled();
  await a.poster.drain();
  const dropped = a.db
    .prepare("SELECT count(*) FROM outbox WHERE kind = 'reminder' AND state = 'dropped'")
    .pluck()
    .get();
  expect(dropped).toBe(1);
  a.clock.advance(10 * MIN);
  await a.click("alert_reopen", RESPONDER, String(id), where);
  await a.slack.waitFor(() => a.alerts.get(id)?.status === "open", 5000, "reopened");
  await a.settled();
}

describe("a reminder dropped because the alert was acknowledged as it was queued, then Undo", () => {
  it("gives two reminders after the reopening when the dropped one was the first", async () => {
    const a = await askRig();
    const { id, where } = await a.postAlert({ ruleId: "mcp-destructive" });
    const reminders = () => a.thread(where.ts).filter((t) => t.startsWith("⏰"));
    a.clock.advance(2 * HOUR);
    await ackAsReminderQueued(a, id, where);
    expect(reminders()).toEqual([]);
    for (let i = 0; i < 3; i++) {
      a.clock.advance(2 * HOUR);
      await a.pass();
    }
    expect(reminders()).toHaveLength(2);
    expect(reminders()[0]).not.toContain("last reminder");
    expect(reminders()[1]).toContain("This is the last reminder.");
  });

  it("gives the last reminder after the reopening when the dropped one was the second", async () => {
    const a = await askRig();
    const { id, where } = await a.postAlert({ ruleId: "mcp-destructive" });
    const reminders = () => a.thread(where.ts).filter((t) => t.startsWith("⏰"));
    a.clock.advance(2 * HOUR);
    await a.pass();
    expect(reminders()).toHaveLength(1);
    a.clock.advance(2 * HOUR);
    await ackAsReminderQueued(a, id, where);
    expect(reminders()).toHaveLength(1);
    for (let i = 0; i < 3; i++) {
      a.clock.advance(2 * HOUR);
      await a.pass();
    }
    expect(reminders()).toHaveLength(2);
    expect(reminders()[1]).toContain("This is the last reminder.");
  });
});

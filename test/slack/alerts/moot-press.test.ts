/**
 * A button pressed on an alert its status has made moot changes nothing, and costs Slack a
 * chat.update only when the message does not show the alert as it is. Through real Bolt, signed
 * clicks, the fake Slack and the outbox on a real SQLite file.
 */
import { describe, expect, it } from "vitest";
import { askRig, RESPONDER } from "../people/ask-rig.js";

/** An alert posted and acknowledged by the responder, its update sent or refused. */
async function acknowledged(updateRefused = false) {
  const a = await askRig();
  const { id, where } = await a.postAlert({ ruleId: "mcp-write", severity: "low" });
  if (updateRefused) a.slack.failNext("chat.update", { error: "cant_update_message" });
  await a.click("alert_acknowledge", RESPONDER, String(id), where);
  await a.slack.waitForCalls("chat.update");
  await a.settled();
  await a.poster.drain();
  return { a, id, where };
}

describe("Acknowledge pressed on an acknowledged alert", () => {
  it("says who acknowledged it and updates nothing, however often it is pressed", async () => {
    const { a, id, where } = await acknowledged();
    const before = a.slack.callsTo("chat.update").length;
    for (let i = 0; i < 10; i++) {
      const press = await a.click("alert_acknowledge", RESPONDER, String(id), where);
      expect(await press.reply()).toBe(
        `Nothing changed: this alert is already acknowledged by <@${RESPONDER}>.`,
      );
      await a.settled();
      await a.poster.drain();
      a.clock.advance(2_000);
    }
    expect(a.slack.callsTo("chat.update").length - before).toBe(0);
    expect(a.stores.alerts.get(id)?.status).toBe("acknowledged");
    expect(JSON.stringify(a.top(where.ts)?.blocks)).toContain("alert_reopen");
  });

  it("redraws a message Slack would not update, once", async () => {
    const { a, id, where } = await acknowledged(true);
    // Slack kept the message as it was: it still offers Acknowledge.
    expect(JSON.stringify(a.top(where.ts)?.blocks)).toContain("alert_acknowledge");
    const before = a.slack.callsTo("chat.update").length;
    for (let i = 0; i < 3; i++) {
      await a.click("alert_acknowledge", RESPONDER, String(id), where);
      await a.settled();
      await a.poster.drain();
    }
    expect(a.slack.callsTo("chat.update").length - before).toBe(1);
    expect(JSON.stringify(a.top(where.ts)?.blocks)).toContain("alert_reopen");
  });
});

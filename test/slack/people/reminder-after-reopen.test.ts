/**
 * A reminder of an alert acknowledged, then reopened (by Undo, or by the person's "No, that wasn't
 * me"): says since when it is open again and who had acknowledged it, never "nobody has
 * acknowledged it since" its post. Real Bolt, the fake Slack, a virtual clock.
 */
import { describe, expect, it } from "vitest";
import { slackDate } from "../../../src/slack/escape.js";
import { HOUR } from "../../../src/time-units.js";
import { ALICE, askRig, GROUP, RESPONDER } from "./ask-rig.js";

describe("a reminder of an alert acknowledged, then reopened", () => {
  it("says it is open again since the Undo, and who had acknowledged it", async () => {
    const a = await askRig();
    const { id, where } = await a.postAlert({ ruleId: "mcp-destructive" });
    a.clock.advance(10 * 60_000);
    await a.click("alert_acknowledge", RESPONDER, String(id), where);
    await a.slack.waitFor(() => a.alerts.get(id)?.status === "acknowledged", 5000, "the ack");
    a.clock.advance(5 * 60_000);
    const reopenedAt = a.clock.now();
    await a.click("alert_reopen", RESPONDER, String(id), where);
    await a.slack.waitFor(() => a.alerts.get(id)?.status === "open", 5000, "the reopening");
    a.clock.advance(2 * HOUR);
    await a.pass();
    const reminders = a.thread(where.ts).filter((t) => t.startsWith("⏰"));
    expect(reminders).toHaveLength(1);
    const title = a.alerts.get(id)?.title;
    expect(reminders[0]).toBe(
      `⏰ <!subteam^${GROUP}> [HIGH] alert ${id}: ${title} is open again since ${slackDate(reopenedAt)} (acknowledged by <@${RESPONDER}> before).`,
    );
  });

  it("says it is open again since the person said No, counted from then", async () => {
    const a = await askRig();
    const { id, where } = await a.postAlert({ ruleId: "mcp-first-use", severity: "medium" });
    a.clock.advance(10 * 60_000);
    await a.click("alert_acknowledge", RESPONDER, String(id), where);
    await a.slack.waitFor(() => a.alerts.get(id)?.status === "acknowledged", 5000, "the ack");
    a.clock.advance(10 * 60_000);
    const deniedAt = a.clock.now();
    await a.click("ask_no", ALICE, String(id), {
      channel: a.slack.dmChannel(ALICE),
      ts: a.dm()[0]?.ts ?? "",
    });
    await a.waitForThread(where.ts, "says this was *not* them");
    const reminders = () => a.thread(where.ts).filter((t) => t.startsWith("⏰"));
    // Reminded a reminder's time after it was reopened, not after it was posted.
    a.clock.advance(2 * HOUR - 60_000);
    await a.pass();
    expect(reminders()).toEqual([]);
    a.clock.advance(60_000);
    await a.pass();
    expect(reminders()).toHaveLength(1);
    expect(reminders()[0]).toContain(
      `is open again since ${slackDate(deniedAt)} (acknowledged by <@${RESPONDER}> before).`,
    );
    expect(reminders()[0]).not.toContain("nobody has acknowledged");
  });

  it("says what its last reopening undid: marked expected after an earlier Undo", async () => {
    const a = await askRig();
    const { id, where } = await a.postAlert({ ruleId: "mcp-destructive" });
    const status = (s: string) =>
      a.slack.waitFor(() => a.alerts.get(id)?.status === s, 5000, `the alert ${s}`);
    await a.click("alert_acknowledge", RESPONDER, String(id), where);
    await status("acknowledged");
    await a.click("alert_reopen", RESPONDER, String(id), where);
    await status("open");
    a.clock.advance(30 * 60_000);
    await a.click("alert_expected", RESPONDER, String(id), where);
    await status("expected");
    a.clock.advance(30 * 60_000);
    const reopenedAt = a.clock.now();
    await a.click("alert_reopen", RESPONDER, String(id), where);
    await status("open");
    a.clock.advance(2 * HOUR);
    await a.pass();
    const reminder = a.thread(where.ts).find((t) => t.startsWith("⏰"));
    expect(reminder).toContain(
      `is open again since ${slackDate(reopenedAt)} (marked expected by <@${RESPONDER}> before).`,
    );
  });
});

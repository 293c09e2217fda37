/**
 * A responder asked "did you do this?" about an alert about themselves: their "yes" is kept and
 * shown, yet handles nothing, as their buttons do not. Real Bolt, signed clicks, the fake Slack,
 * a real SQLite file.
 */
import { describe, expect, it } from "vitest";
import { HOUR, MINUTE } from "../../../src/time-units.js";
import { ALICE, askRig, RESPONDER } from "./ask-rig.js";

/** A high first-use alert about the responder themselves (resp@example.com). */
const aboutTheResponder = {
  ruleId: "mcp-first-use",
  severity: "high" as const,
  groupKey: "mcp-first-use|acc-resp",
  userId: "acc-resp",
  userEmail: "resp@example.com",
  userName: "Resp Onder",
};

describe("a responder asked about an alert about themselves", () => {
  it.each([
    ["the default rules", ""],
    ["ask.expectedOnYes", "ask:\n  expectedOnYes: [mcp-first-use]\n"],
  ])("answers yes: kept and shown, the alert still open and reminded of (%s)", async (_, rules) => {
    const a = await askRig(rules);
    const { id, where } = await a.postAlert(aboutTheResponder);
    // Their buttons are refused.
    const ack = await a.click("alert_acknowledge", RESPONDER, String(id), where);
    expect(await ack.reply()).toBe("Someone else must handle alerts about you.");
    // The question went to them all the same: their "no" would be worth hearing.
    const dm = a.slack.dmChannel(RESPONDER);
    const question = a.slack.messages(dm).at(-1);
    expect(question?.text).toContain("Did you do this?");
    await a.click("ask_yes", RESPONDER, String(id), { channel: dm, ts: question?.ts ?? "" });
    await a.waitForThread(
      where.ts,
      `✅ <@${RESPONDER}> confirmed this was them. They are a responder, so that handles nothing: another responder must handle alerts about them.`,
    );
    expect(a.alerts.get(id)?.status).toBe("open");
    expect(a.trail.history("org-1", id).map((e) => [e.actor, e.to, e.note])).toEqual([
      [RESPONDER, "open", "refused acknowledge: someone else must handle alerts about them"],
      [
        RESPONDER,
        "open",
        "the person asked answered yes, as a responder: another responder must handle it",
      ],
    ]);
    await a.slack.waitFor(
      () => (a.slack.messages(dm).at(-1)?.updates ?? 0) > 0,
      5000,
      "the question updated",
    );
    expect(a.slack.messages(dm).at(-1)?.text).toContain(
      "As you are a responder, that does not handle the alert: another responder must handle alerts about you.",
    );
    // Answered once.
    const again = await a.click("ask_yes", RESPONDER, String(id), {
      channel: dm,
      ts: question?.ts ?? "",
    });
    expect(await again.reply()).toBe("You have answered this already (yes).");
    // Nobody else looked at it: its reminder comes.
    a.clock.advance(2 * HOUR);
    await a.pass();
    await a.pass();
    const reminders = a.thread(where.ts).filter((t) => t.startsWith("⏰"));
    expect(reminders).toHaveLength(1);
    expect(reminders[0]).toContain(`alert ${id}`);
    expect(a.alerts.get(id)?.status).toBe("open");
  });

  it("a yes waits while nobody can tell whether the one answering is a responder", async () => {
    const a = await askRig("ask:\n  expectedOnYes: [mcp-first-use]\n");
    const { id } = await a.postAlert({
      ruleId: "mcp-first-use",
      severity: "medium",
      userId: "acc-1",
      userEmail: "p1@example.com",
    });
    const question = a.dm().at(-1);
    const on = { channel: a.slack.dmChannel(ALICE), ts: question?.ts ?? "" };
    // The responders last looked up longer ago than any answer is trusted, and Slack fails now.
    a.clock.advance(2 * HOUR);
    a.slack.failNext("usergroups.users.list", { error: "internal_error" });
    const waiting = await a.click("ask_yes", ALICE, String(id), on);
    expect(await waiting.reply()).toBe(
      "Your answer could not be taken right now; try again in a minute.",
    );
    expect(a.store.get("org-1", id)?.answer).toBeNull();
    expect(a.alerts.get(id)?.status).toBe("open");
    // Slack answers again: Alice, no responder, is taken at her word.
    a.clock.advance(MINUTE);
    await a.click("ask_yes", ALICE, String(id), on);
    await a.slack.waitFor(() => a.alerts.get(id)?.status === "expected", 5000, "expected");
    expect(a.store.get("org-1", id)).toMatchObject({ answer: "yes", confirmed: true });
  });
});

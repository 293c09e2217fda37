/**
 * "Undo (reopen)" of an alert ends the mute its own click set, not another mute of the pattern
 * (docs/alerts-and-digest.md, Buttons): alert 1's is told from alert 12's.
 */
import { describe, expect, it } from "vitest";
import { person } from "../../../src/slack/alerts/unmute.js";
import { askRig, RESPONDER } from "../people/ask-rig.js";

describe("'Undo (reopen)' of alert 1, marked plain Expected", () => {
  it("leaves the 7-day mute that alert 12's 'Expected, mute 7 days' set running", async () => {
    const a = await askRig();
    const bob = { ruleId: "mcp-write", severity: "low", userId: "acct-bob" } as const;
    const first = await a.postAlert({ ...bob, groupKey: "mcp-write|acct-bob|1" });
    expect(first.id).toBe(1);
    await a.click("alert_expected", RESPONDER, String(first.id), first.where);
    await a.slack.waitFor(() => (a.top(first.where.ts)?.updates ?? 0) > 0, 5000, "the update");
    await a.settled();
    // Alerts 2..11 about other people and rules (digest only): the ids move on, as in a week.
    for (let i = 2; i <= 11; i++)
      a.raise({ ruleId: "mcp-first-use", severity: "low", notify: false });
    const twelfth = await a.postAlert({ ...bob, groupKey: "mcp-write|acct-bob|12" });
    expect(twelfth.id).toBe(12);
    await a.click("alert_expected_mute", RESPONDER, String(twelfth.id), twelfth.where);
    await a.slack.waitFor(() => (a.top(twelfth.where.ts)?.updates ?? 0) > 0, 5000, "the mute");
    await a.settled();
    const alert = a.stores.alerts.get(first.id);
    if (!alert) throw new Error("no alert");
    const running = () =>
      a.stores.mutes.running("org-1", "mcp-write", person(alert) ?? "", a.clock.now());
    expect(running()).toHaveLength(1);

    // Someone reconsiders alert 1 (marked plain Expected, it set no mute) and reopens it.
    await a.click("alert_reopen", RESPONDER, String(first.id), first.where);
    await a.slack.waitFor(() => (a.top(first.where.ts)?.updates ?? 0) > 1, 5000, "the update");
    await a.settled();
    expect(a.stores.alerts.get(first.id)?.status).toBe("open");
    // Alert 12's mute is not alert 1's: it must keep running, and alert 1's thread says nothing.
    expect(running()).toHaveLength(1);
    expect(a.thread(first.where.ts)).toEqual([]);
  });
});

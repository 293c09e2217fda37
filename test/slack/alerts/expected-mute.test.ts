/** "Expected, mute 7 days" and its undo, through real Bolt, signed clicks and the fake Slack. */
import { describe, expect, it } from "vitest";
import { person } from "../../../src/slack/alerts/unmute.js";
import { askRig, RESPONDER } from "../people/ask-rig.js";

describe("'Expected, mute 7 days'", () => {
  it("says in the alert's thread what is muted and until when", async () => {
    const a = await askRig();
    const { id, where } = await a.postAlert({ ruleId: "mcp-write", severity: "low" });
    await a.click("alert_expected_mute", RESPONDER, String(id), where);
    await a.slack.waitFor(() => (a.top(where.ts)?.updates ?? 0) > 0, 5000, "the update");
    await a.settled();
    const shown = JSON.stringify(a.top(where.ts)?.blocks) + a.thread(where.ts).join("\n");
    expect(shown).toContain("Marked expected");
    expect(a.thread(where.ts)).toEqual([
      expect.stringMatching(
        /^🔕 <@URESP> marked this expected and muted mcp-write alerts about .+ until <!date\^\d+\^.+>: they are still stored and counted, not posted\. Undo \(reopen\) ends the mute\.$/,
      ),
    ]);
  });
});

describe("'Undo (reopen)' after 'Expected, mute 7 days'", () => {
  it("ends the mute the click started, and says so", async () => {
    const a = await askRig();
    const { id, where } = await a.postAlert({ ruleId: "mcp-write", severity: "low" });
    await a.click("alert_expected_mute", RESPONDER, String(id), where);
    await a.slack.waitFor(() => (a.top(where.ts)?.updates ?? 0) > 0, 5000, "the update");
    await a.settled();
    const alert = a.stores.alerts.get(id);
    if (!alert) throw new Error("no alert");

    expect(
      a.stores.mutes.running("org-1", "mcp-write", person(alert) ?? "", a.clock.now()),
    ).toHaveLength(1);
    await a.click("alert_reopen", RESPONDER, String(id), where);
    await a.slack.waitFor(() => (a.top(where.ts)?.updates ?? 0) > 1, 5000, "the second update");
    await a.settled();
    expect(a.stores.alerts.get(id)?.status).toBe("open");
    expect(
      a.stores.mutes.running("org-1", "mcp-write", person(alert) ?? "", a.clock.now()),
    ).toHaveLength(0);
    expect(a.thread(where.ts)[1]).toMatch(/^🔔 <@URESP> ended the mute of mcp-write alerts about /);
  });
});

describe("'Undo (reopen)' of an alert marked plain Expected", () => {
  it("ends no mute: another alert's snooze of the rule and person stays", async () => {
    const a = await askRig();
    const bob = { ruleId: "mcp-write", severity: "low", userId: "acct-bob" } as const;
    const first = await a.postAlert({ ...bob, groupKey: "mcp-write|acct-bob|1" });
    await a.click("alert_expected", RESPONDER, String(first.id), first.where);
    await a.slack.waitFor(() => (a.top(first.where.ts)?.updates ?? 0) > 0, 5000, "the update");
    await a.settled();
    const second = await a.postAlert({ ...bob, groupKey: "mcp-write|acct-bob|2" });
    await a.click("alert_snooze", RESPONDER, `${second.id}:24`, second.where, true);
    const alert = a.stores.alerts.get(first.id);
    if (!alert) throw new Error("no alert");
    const running = () =>
      a.stores.mutes.running("org-1", "mcp-write", person(alert) ?? "", a.clock.now());
    await a.slack.waitFor(() => running().length === 1, 5000, "the snooze");
    await a.settled();
    await a.click("alert_reopen", RESPONDER, String(first.id), first.where);
    await a.slack.waitFor(() => (a.top(first.where.ts)?.updates ?? 0) > 1, 5000, "the update");
    await a.settled();
    expect(a.stores.alerts.get(first.id)?.status).toBe("open");
    expect(running()).toMatchObject([{ reason: expect.stringMatching(/^snoozed/) }]);
    expect(a.thread(first.where.ts)).toEqual([]);
  });
});

/**
 * The mutes running, listed to responders in `/mcp-activity settings` with an End button that
 * ends them as the alert's own Undo mute does. Through the real Bolt app, signed clicks and
 * commands, the fake Slack Web API and a real SQLite file.
 */
import { describe, expect, it } from "vitest";
import { DAY } from "../../src/time-units.js";
import { RESPONDER, learningRig as rig } from "./learning-rig.js";

describe("the mutes running, in /mcp-activity settings", () => {
  it("are listed to responders with until when and why, and End ends them from there", async () => {
    const r = await rig();
    const id = await r.raise();
    await r.click("alert_expected_mute", id);
    const running = () =>
      r.stores.mutes.reasonAt("org-1", "mcp-destructive", "acc-pat", r.clock.now() + DAY);
    expect(running()).toMatch(/^marked expected on alert \d+, muted for 7 days by <@URESP>$/);

    const settings = async (user: string) =>
      JSON.stringify(await (await r.command("settings", user)).body());
    const mine = await settings(RESPONDER);
    expect(mine).toContain("*Muted now* (1)");
    expect(mine).toContain("*mcp-destructive* about Pat");
    expect(mine).toContain("Muted until <!date^");
    expect(mine).toContain("alert_end_mute");
    // Not to anyone else: whom responders muted is theirs.
    expect(await settings("UALICE")).not.toContain("Muted now");

    const end = await r.click("alert_end_mute", id);
    expect(await end.reply()).toBe(
      `🔔 <@${RESPONDER}> ended the mute of mcp-destructive alerts about Pat: they are posted again.`,
    );
    expect(running()).toBeUndefined();
    expect(r.trail(id).at(-1)).toBe(
      `${RESPONDER} expected→expected ended the mutes of mcp-destructive alerts about this person`,
    );
    expect(await settings(RESPONDER)).not.toContain("Muted now");
  });

  it("say who muted as Slack shows a person, and why in the app's words", async () => {
    const r = await rig();
    const id = await r.raise();
    await r.click("alert_expected_mute", id);
    const reply = JSON.stringify(await (await r.command("settings", RESPONDER)).body());
    expect(reply).toContain(`by <@${RESPONDER}>: marked expected on alert ${id}, muted for 7 days`);
    // Escaped, a mention shows as its raw id: "<@URESP>", a name nobody reads.
    expect(reply).not.toContain("&lt;@");
  });

  it("read the same when an earlier release wrote who muted into the reason", async () => {
    const r = await rig();
    const now = r.clock.now();
    const earlier = [
      "snoozed for 4 h by <@U1>",
      "marked expected by <@U1> on alert 3, muted for 7 days",
      "marked expected 3 times within 30 days; muted for 30 days by <@U1>",
    ];
    earlier.forEach((reason, i) => {
      const pattern = { ruleId: "mcp-write", userKey: `acc-${i}` };
      r.stores.mutes.add("org-1", { ...pattern, until: now + (i + 1) * DAY, reason }, "U1", now);
    });
    const reply = JSON.stringify(await (await r.command("settings", RESPONDER)).body());
    expect(reply).toContain("by <@U1>: snoozed for 4 h");
    expect(reply).toContain("by <@U1>: marked expected on alert 3, muted for 7 days");
    expect(reply).toContain("by <@U1>: marked expected 3 times within 30 days; muted for 30 days");
    expect(reply).not.toContain("&lt;@");
  });

  it("fit one message beside the suppressions, however many: what is left out is counted", async () => {
    const r = await rig();
    const now = r.clock.now();
    for (let i = 0; i < 20; i++) {
      const pattern = { ruleId: "mcp-write", userKey: `acc-${i}` };
      r.stores.mutes.add("org-1", { ...pattern, until: now + DAY, reason: "snoozed" }, "U1", now);
      r.stores.suppressions.add("org-1", { ...pattern, reason: "r", alertId: null }, "U1", now);
    }
    const reply = (await (await r.command("settings", RESPONDER)).body()) as { blocks: unknown[] };
    expect(reply.blocks.length).toBeLessThanOrEqual(50);
    const text = JSON.stringify(reply);
    expect(text).toContain("*Muted now* (20)");
    expect(text).toContain("And 5 more, ending later.");
    expect(text).toContain("And 5 more: `rules check` lists all.");
  });

  it("refuses End to whoever is not a responder", async () => {
    const r = await rig();
    const id = await r.raise();
    await r.click("alert_expected_mute", id);
    const forged = await r.click("alert_end_mute", id, "UALICE");
    expect(await forged.reply()).toMatch(/^Only responders can do this/);
    expect(
      r.stores.mutes.reasonAt("org-1", "mcp-destructive", "acc-pat", r.clock.now() + DAY),
    ).toBeDefined();
  });
});

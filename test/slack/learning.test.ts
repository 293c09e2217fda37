/**
 * Learning from responders: after 3 Expected, an alert offers to mute its rule and person for 30
 * days or to suppress them, and both can be undone. Through the real Bolt app, signed clicks and
 * commands, the fake Slack Web API and a real SQLite file.
 */
import { describe, expect, it } from "vitest";
import { DetectionEngine } from "../../src/detect/engine.js";
import { parseRulesText } from "../../src/detect/rules-file.js";
import { repositories } from "../../src/store/repositories.js";
import { DAY } from "../../src/time-units.js";
import { normalizedEvent } from "../detect/fixtures.js";
import { runCli } from "../helpers/cli.js";
import { RESPONDER, learningRig as rig } from "./learning-rig.js";

describe("learning from Expected", () => {
  it("after 3 Expected within 30 days, the alert offers Mute 30 days and Suppress", async () => {
    const r = await rig();
    const [first, second, third] = await r.markExpected(3);
    expect(r.shown(first as number)).not.toContain("Mute 30 days");
    expect(r.shown(second as number)).not.toContain("Mute 30 days");
    // The third Expected updates its message with the offer.
    expect(r.shown(third as number)).toContain("Marked expected 3 times in 30 days");
    expect(r.shown(third as number)).toContain("alert_mute_30");
    expect(r.shown(third as number)).toContain("Suppress (add to rules)");
    // A new alert about Pat offers it from the start; one about someone else does not.
    const fourth = await r.raise();
    expect(r.shown(fourth)).toContain("alert_suppress");
    const other = await r.raise({ userId: "acc-other", userEmail: "o@example.com", userName: "O" });
    expect(r.shown(other)).not.toContain("alert_suppress");
    // Expected older than 30 days no longer teach anything.
    r.clock.advance(30 * DAY);
    const render = r.render(r.alerts.get(fourth) ?? assertNever());
    expect(JSON.stringify(render.blocks)).not.toContain("alert_suppress");
  });

  it("Mute 30 days mutes the rule and person, marks the alert expected, and Undo mute ends it", async () => {
    const r = await rig();
    await r.markExpected(3);
    const id = await r.raise();
    await r.click("alert_mute_30", id);
    expect(r.alerts.get(id)?.status).toBe("expected");
    const now = r.clock.now();
    expect(r.stores.mutes.reasonAt("org-1", "mcp-destructive", "acc-pat", now + 29 * DAY)).toBe(
      `marked expected 3 times within 30 days; muted for 30 days by <@${RESPONDER}>`,
    );
    expect(r.stores.mutes.reasonAt("org-1", "mcp-destructive", "acc-pat", now + 31 * DAY)).toBe(
      undefined,
    );
    expect(r.trail(id)).toEqual([
      `${RESPONDER} open→open muted mcp-destructive alerts about this person for 30 days (marked expected 3 times within 30 days)`,
      `${RESPONDER} open→expected `,
    ]);
    expect(r.thread(id)).toEqual([
      `🔕 <@${RESPONDER}> muted mcp-destructive alerts about Pat for 30 days: they are still stored and counted, not posted. Undo on the alert.`,
    ]);
    expect(r.shown(id)).toContain("Muted until");
    expect(r.shown(id)).toContain("alert_unmute");

    await r.click("alert_unmute", id);
    expect(r.stores.mutes.reasonAt("org-1", "mcp-destructive", "acc-pat", now + DAY)).toBe(
      undefined,
    );
    expect(r.trail(id).at(-1)).toBe(
      `${RESPONDER} expected→expected ended the mutes of mcp-destructive alerts about this person`,
    );
    expect(r.thread(id).at(-1)).toBe(
      `🔔 <@${RESPONDER}> ended the mute of mcp-destructive alerts about Pat: they are posted again.`,
    );
    expect(r.shown(id)).toContain("alert_mute_30");
  });

  it("Suppress stores who, when and why; the rules keep later findings quiet; settings and rules check list it; Remove undoes it", async () => {
    const r = await rig();
    await r.markExpected(3);
    const id = await r.raise();
    const before = r.clock.now();
    await r.click("alert_suppress", id);
    const added = r.stores.suppressions.list()[0]?.createdAt ?? 0;
    expect(added).toBeGreaterThanOrEqual(before);
    expect(added).toBeLessThanOrEqual(r.clock.now());
    expect(r.stores.suppressions.list()).toEqual([
      {
        id: 1,
        orgId: "org-1",
        ruleId: "mcp-destructive",
        userKey: "acc-pat",
        reason: "marked expected 3 times within 30 days",
        alertId: id,
        createdBy: RESPONDER,
        createdAt: added,
        person: "Pat",
        alertCreatedAt: r.alerts.get(id)?.createdAt,
      },
    ]);
    expect(r.trail(id)[0]).toBe(
      `${RESPONDER} open→open suppressed mcp-destructive alerts about this person (marked expected 3 times within 30 days)`,
    );
    expect(r.thread(id)).toEqual([
      `🔕 <@${RESPONDER}> suppressed mcp-destructive alerts about Pat: from now on they are stored and counted, never posted. Undo on the alert or in \`/mcp-activity settings\`.`,
    ]);
    expect(r.shown(id)).toContain(`Suppressed by <@${RESPONDER}>`);

    // The rules: Pat's next destructive call is stored and counted, not posted.
    const base = normalizedEvent();
    r.stores.events.insertMany(
      [
        {
          ...base,
          id: "ev-later",
          userId: "acc-pat",
          actorId: "acc-pat",
          tool: "deleteJiraIssue",
          toolClass: "destructive",
          time: added + 60_000,
        },
      ],
      added,
    );
    new DetectionEngine({
      stores: repositories(r.db),
      clock: r.clock,
      logger: r.logs.logger,
      orgId: "org-1",
      config: parseRulesText("", "rules.yml"),
    }).run();
    const later = r.alerts.list("org-1").filter((a) => a.firstSeen === added + 60_000);
    expect(later.map((a) => [a.ruleId, a.notify, a.suppressedBy])).toContainEqual([
      "mcp-destructive",
      false,
      `suppressed by <@${RESPONDER}>: marked expected 3 times within 30 days`,
    ]);

    // Listed to responders in /mcp-activity settings, not to others; and by rules check.
    const mine = JSON.stringify(await (await r.command("settings", RESPONDER)).body());
    expect(mine).toContain("Suppressions added by responders* (1)");
    expect(mine).toContain(`Added by <@${RESPONDER}>`);
    expect(mine).toContain("marked expected 3 times within 30 days");
    const theirs = JSON.stringify(await (await r.command("settings", "UALICE")).body());
    expect(theirs).toContain("Atlassian admin settings");
    expect(theirs).not.toContain("Suppressions added");
    const check = await runCli(["rules", "check"], { DATABASE_PATH: r.db.name });
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toContain(
      `#   1. mcp-destructive about Pat (org-1), added by Slack user ${RESPONDER} on ${new Date(added).toISOString()} from alert ${id}: marked expected 3 times within 30 days`,
    );

    // Remove, from the settings list: said to the one who clicked, and in the alert's thread.
    const remove = await r.click("alert_remove_suppression", id);
    expect(await remove.reply()).toBe(
      `🔔 <@${RESPONDER}> removed the suppression of mcp-destructive alerts about Pat: they are posted again.`,
    );
    expect(r.stores.suppressions.list()).toEqual([]);
    expect(r.trail(id).at(-1)).toBe(
      `${RESPONDER} expected→expected removed suppression 1 of mcp-destructive alerts about this person`,
    );
    expect(r.shown(id)).toContain("alert_mute_30");
    const after = await runCli(["rules", "check"], { DATABASE_PATH: r.db.name });
    expect(after.stdout).toContain("# suppressions added by responders: none");
  });

  it("refuses a responder on alerts about themselves, and anyone before 3 Expected", async () => {
    const r = await rig();
    const early = await r.raise();
    const forged = await r.click("alert_suppress", early);
    expect(await forged.reply()).toBe(
      "That is offered once 3 alerts of this rule about this person are marked expected within 30 days; 0 are.",
    );
    await r.markExpected(3);
    const id = await r.raise();
    for (const action of ["alert_suppress", "alert_mute_30"]) {
      const self = await r.click(action, id, "UPAT");
      expect(await self.reply()).toBe("Someone else must handle alerts about you.");
    }
    expect(r.stores.suppressions.list()).toEqual([]);
    expect(r.stores.mutes.reasonAt("org-1", "mcp-destructive", "acc-pat", r.clock.now() + 1)).toBe(
      undefined,
    );
    expect(r.trail(id)).toEqual([
      "UPAT open→open refused suppress: someone else must handle alerts about them",
      "UPAT open→open refused mute-30: someone else must handle alerts about them",
    ]);
  });
});

describe("stale and repeated clicks", () => {
  it("Mute 30 days twice at once, and again from the old offer: one mute, said once", async () => {
    const r = await rig();
    await r.markExpected(3);
    const id = await r.raise();
    await Promise.all([r.click("alert_mute_30", id), r.click("alert_mute_30", id)]);
    r.clock.advance(60_000);
    const again = await r.click("alert_mute_30", id);
    expect(await again.reply()).toBe(
      `Nothing changed: these alerts are muted already (marked expected 3 times within 30 days; muted for 30 days by <@${RESPONDER}>).`,
    );
    const mutes = r.db.prepare("SELECT reason FROM mutes WHERE org_id = 'org-1'").all();
    expect(mutes).toHaveLength(1);
    expect(r.thread(id).filter((t) => t.startsWith("🔕"))).toHaveLength(1);
  });

  it("a Snooze menu left on an old copy changes nothing once the alert is handled", async () => {
    const r = await rig();
    const id = await r.raise();
    const ts = r.message(id)?.ts ?? "";
    await r.click("alert_true_positive", id);
    expect(r.shown(id)).not.toContain("alert_snooze");
    const stale = await r.click("alert_snooze", id, RESPONDER, `${id}:24`);
    await r.slack.waitFor(() => r.alerts.get(id)?.status === "true_positive", 5000, "status");
    expect(ts).not.toBe("");
    expect(await stale.reply()).toBe(
      `Nothing changed: this alert is already marked true positive by <@${RESPONDER}>.`,
    );
    expect(
      r.stores.mutes.reasonAt("org-1", "mcp-destructive", "acc-pat", r.clock.now() + 1),
    ).toBeUndefined();
    expect(r.thread(id).filter((t) => t.startsWith("💤"))).toEqual([]);
  });

  it("a true positive offers no mute nor suppression of its rule and person, and refuses one", async () => {
    const r = await rig();
    await r.markExpected(3);
    const id = await r.raise();
    expect(r.shown(id)).toContain("alert_mute_30");
    await r.click("alert_true_positive", id);
    expect(r.shown(id)).not.toContain("alert_mute_30");
    expect(r.shown(id)).not.toContain("alert_suppress");
    for (const action of ["alert_mute_30", "alert_suppress"]) {
      const forged = await r.click(action, id);
      expect(await forged.reply()).toBe(
        `Nothing changed: this alert is already marked true positive by <@${RESPONDER}>.`,
      );
    }
    expect(r.stores.suppressions.list()).toEqual([]);
    expect(
      r.stores.mutes.reasonAt("org-1", "mcp-destructive", "acc-pat", r.clock.now() + 1),
    ).toBeUndefined();
  });
});

function assertNever(): never {
  throw new Error("the alert is gone");
}

/**
 * A mute or suppression an earlier release's buttons set on a rule now never quieted (a canary):
 * kept as it was, it keeps nothing quiet, every view says so, its Undo still removes it, and the
 * person's "not me" still raises what it hid. Through the real Bolt app, signed clicks and
 * commands, the fake Slack Web API and a real SQLite file.
 */
import { describe, expect, it } from "vitest";
import { HIDDEN_BY_MUTE_RULE } from "../../src/domain/alert.js";
import { unmute } from "../../src/slack/alerts/unmute.js";
import { DAY } from "../../src/time-units.js";
import { runCli } from "../helpers/cli.js";
import { RESPONDER, learningRig as rig } from "./learning-rig.js";

const NO_LONGER = "no longer keeps anything quiet: alerts of this rule are never quieted";

describe("a suppression an earlier release set on a canary", () => {
  it("is said to keep nothing quiet, on the alert and in settings, and its Undo removes it", async () => {
    const r = await rig();
    const id = await r.raise({ ruleId: "mcp-canary", groupKey: "mcp-canary|acc-pat" });
    r.stores.suppressions.add(
      "org-1",
      { ruleId: "mcp-canary", userKey: "acc-pat", reason: "expected", alertId: id },
      RESPONDER,
      r.clock.now(),
    );
    await r.click("alert_acknowledge", id);
    expect(r.shown(id)).toContain(`it ${NO_LONGER}`);
    expect(r.shown(id)).not.toContain("never posted");
    const settings = JSON.stringify(await (await r.command("settings", RESPONDER)).body());
    expect(settings).toContain(`_It ${NO_LONGER}._`);
    const check = await runCli(["rules", "check"], { DATABASE_PATH: r.db.name });
    expect(check.stdout).toContain(`mcp-canary about Pat (org-1)`);
    expect(check.stdout).toContain(`: expected (${NO_LONGER})`);

    await r.click("alert_unsuppress", id);
    expect(r.thread(id).at(-1)).toBe(
      `🔔 <@${RESPONDER}> removed the suppression of mcp-canary alerts about Pat: it kept nothing quiet (alerts of this rule are never quieted).`,
    );
    expect(r.stores.suppressions.list()).toEqual([]);
    expect(r.shown(id)).not.toContain("Suppressed by");
    // Undo again, from a copy still showing it: nothing to undo, and the copy is drawn anew.
    const again = await r.click("alert_unsuppress", id);
    expect(await again.reply()).toBe("Nothing to undo: these alerts are not suppressed.");
  });
});

describe("a mute an earlier release set on a canary", () => {
  it("still lets the person's 'not me' raise the canary reads it kept quiet", async () => {
    const r = await rig();
    const now = r.clock.now();
    const posted = await r.raise({ ruleId: "mcp-canary", groupKey: "mcp-canary|acc-pat" });
    const reason = "marked expected 3 times within 30 days; muted for 30 days by <@URESP>";
    r.stores.mutes.add(
      "org-1",
      { ruleId: "mcp-canary", userKey: "acc-pat", until: now + 30 * DAY, reason },
      RESPONDER,
      now,
    );
    const alert = r.stores.alerts.get(posted);
    if (!alert) throw new Error("no alert");
    // A canary read it kept quiet, as the earlier release stored it.
    const { id: _i, status: _s, revision: _r, updatedAt: _u, ...canary } = alert;
    const hidden = r.stores.alerts.insert({
      ...canary,
      groupKey: "mcp-canary|acc-pat|2",
      createdAt: now + DAY,
      notify: false,
      suppressedBy: reason,
    });
    const { alertId } = unmute(r.stores, alert, "UPAT", now + 2 * DAY);
    const raised = alertId === undefined ? undefined : r.stores.alerts.get(alertId);
    expect(raised?.ruleId).toBe(HIDDEN_BY_MUTE_RULE);
    expect(raised?.detail).toMatchObject({ hiddenAlerts: [hidden] });
  });
});

describe("ending a mute an earlier release set on a canary, which hid a canary read", () => {
  it("raises what it hid again, and says so: not that it kept nothing quiet", async () => {
    const r = await rig();
    const now = r.clock.now();
    const posted = await r.raise({ ruleId: "mcp-canary", groupKey: "mcp-canary|acc-pat" });
    const reason = "marked expected 3 times within 30 days; muted for 30 days by <@URESP>";
    r.stores.mutes.add(
      "org-1",
      { ruleId: "mcp-canary", userKey: "acc-pat", until: now + 30 * DAY, reason },
      RESPONDER,
      now,
    );
    const alert = r.stores.alerts.get(posted);
    if (!alert) throw new Error("no alert");
    const { id: _i, status: _s, revision: _r, updatedAt: _u, ...canary } = alert;
    const hidden = r.stores.alerts.insert({
      ...canary,
      groupKey: "mcp-canary|acc-pat|2",
      createdAt: now + 1000,
      notify: false,
      suppressedBy: reason,
    });
    r.clock.advance(DAY);
    await r.click("alert_end_mute", posted);
    expect(r.stores.mutes.list(r.clock.now())).toEqual([]);
    const raised = r.stores.alerts.list("org-1").find((a) => a.ruleId === HIDDEN_BY_MUTE_RULE);
    expect(raised).toMatchObject({ severity: "high", notify: true });
    expect(raised?.detail).toMatchObject({ hiddenAlerts: [hidden] });
    expect(raised?.title).toContain("raised again: alerts of this rule are never quieted now");
    expect(r.thread(posted).at(-1)).toBe(
      `🔔 <@${RESPONDER}> ended the mute of mcp-canary alerts about Pat: what it kept quiet before alerts of this rule were never quieted is raised again as alert ${raised?.id}.`,
    );
  });
});

describe("reopening a canary an earlier release marked 'Expected, mute 7 days'", () => {
  it("ends its mute and raises what the mute hid again", async () => {
    const r = await rig();
    const now = r.clock.now();
    const posted = await r.raise({ ruleId: "mcp-canary", groupKey: "mcp-canary|acc-pat" });
    await r.click("alert_expected", posted);
    // In that release's words: who set it was written into its reason.
    const reason = `marked expected by <@${RESPONDER}> on alert ${posted}, muted for 7 days`;
    r.stores.mutes.add(
      "org-1",
      { ruleId: "mcp-canary", userKey: "acc-pat", until: now + 7 * DAY, reason },
      RESPONDER,
      now,
    );
    const alert = r.stores.alerts.get(posted);
    if (!alert) throw new Error("no alert");
    const { id: _i, status: _s, revision: _r, updatedAt: _u, ...canary } = alert;
    const hidden = r.stores.alerts.insert({
      ...canary,
      groupKey: "mcp-canary|acc-pat|2",
      createdAt: now + 1000,
      notify: false,
      suppressedBy: reason,
    });
    r.clock.advance(DAY);
    await r.click("alert_reopen", posted);
    expect(r.stores.mutes.list(r.clock.now())).toEqual([]);
    const raised = r.stores.alerts.list("org-1").find((a) => a.ruleId === HIDDEN_BY_MUTE_RULE);
    expect(raised?.detail).toMatchObject({ hiddenAlerts: [hidden] });
    expect(r.thread(posted).at(-1)).toContain(`is raised again as alert ${raised?.id}.`);
  });
});

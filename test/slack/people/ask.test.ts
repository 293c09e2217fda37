/** Asking the person, escalation reminders and snoozing: real Bolt, the fake Slack, a virtual clock. */
import { describe, expect, it } from "vitest";
import { HIDDEN_BY_MUTE_RULE } from "../../../src/domain/alert.js";
import { MuteStore } from "../../../src/store/mutes.js";
import { DAY, HOUR } from "../../../src/time-units.js";
import { T0 } from "../../detect/fixtures.js";
import { CHANNEL } from "../setup.js";
import { ALICE, askRig, GROUP, RESPONDER } from "./ask-rig.js";

const asks = { ruleId: "mcp-first-use", severity: "medium" as const };

describe("asking the person", () => {
  it("sends one direct message per alert and says so in the thread", async () => {
    const a = await askRig();
    const { id, where } = await a.postAlert(asks);
    await a.pass();
    await a.pass();
    expect(a.dm()).toHaveLength(1);
    expect(a.dm()[0]?.text).toContain("Did you do this?");
    expect(JSON.stringify(a.dm()[0]?.blocks)).toContain(`"value":"${id}.`);
    expect(a.slack.callsTo("conversations.open")).toHaveLength(1);
    expect(a.thread(where.ts)).toEqual([
      `Asked <@${ALICE}> by direct message whether this was them.`,
    ]);
    expect(a.store.get("org-1", id)).toMatchObject({ askState: "sent", askedUser: ALICE });
  });

  it("'yes' is noted in the trail and the thread, marks it expected when configured, and closes the question", async () => {
    const a = await askRig("ask:\n  expectedOnYes: [mcp-first-use]\n");
    const { id, where } = await a.postAlert(asks);
    const question = a.dm()[0];
    await a.click("ask_yes", ALICE, String(id), {
      channel: a.slack.dmChannel(ALICE),
      ts: question?.ts ?? "",
    });
    await a.waitForThread(where.ts, `<@${ALICE}> confirmed this was them. Marked expected.`);
    expect(a.alerts.get(id)?.status).toBe("expected");
    expect(a.trail.history("org-1", id).map((e) => [e.actor, e.to, e.note])).toEqual([
      [ALICE, "open", "the person asked answered yes"],
      [ALICE, "expected", "confirmed by the person"],
    ]);
    await a.slack.waitFor(() => (a.dm()[0]?.updates ?? 0) > 0, 5000, "the question updated");
    expect(a.dm()[0]?.text).toContain("You answered *yes, that was me*");
    expect(JSON.stringify(a.dm()[0]?.blocks)).not.toContain("ask_yes");
    // A second click changes nothing.
    const again = await a.click("ask_no", ALICE, String(id), {
      channel: a.slack.dmChannel(ALICE),
      ts: question?.ts ?? "",
    });
    expect(await again.reply()).toBe("You have answered this already (yes).");
    expect(a.alerts.get(id)?.severity).toBe("medium");
  });

  it("'yes' leaves the alert open when the rule is not configured to mark it expected", async () => {
    const a = await askRig();
    const { id, where } = await a.postAlert(asks);
    await a.click("ask_yes", ALICE, String(id), {
      channel: a.slack.dmChannel(ALICE),
      ts: a.dm()[0]?.ts ?? "",
    });
    await a.waitForThread(where.ts, `<@${ALICE}> confirmed this was them.`);
    expect(a.alerts.get(id)?.status).toBe("open");
  });

  it("'no' makes it high severity and open again, even after an acknowledgement, and calls the responders", async () => {
    const a = await askRig();
    const { id, where } = await a.postAlert(asks);
    await a.click("alert_acknowledge", RESPONDER, String(id), where);
    await a.slack.waitFor(
      () => a.alerts.get(id)?.status === "acknowledged",
      5000,
      "the acknowledgement",
    );
    await a.click("ask_no", ALICE, String(id), {
      channel: a.slack.dmChannel(ALICE),
      ts: a.dm()[0]?.ts ?? "",
    });
    // The page names the alert as it is now: high.
    await a.waitForThread(where.ts, `<@${ALICE}> says this was *not* them ([HIGH] `);
    expect(a.thread(where.ts).at(-1)).toContain(`<!subteam^${GROUP}> please look now`);
    expect(a.alerts.get(id)).toMatchObject({ severity: "high", status: "open" });
    expect(a.trail.history("org-1", id).at(-1)).toMatchObject({
      actor: ALICE,
      from: "acknowledged",
      to: "open",
    });
    await a.slack.waitFor(
      () => a.slack.messages(CHANNEL).some((m) => m.ts === where.ts && m.text.startsWith("[HIGH]")),
      5000,
      "the alert message updated to high",
    );
    await a.slack.waitFor(() => (a.dm()[0]?.updates ?? 0) > 0, 5000, "the question updated");
    expect(a.dm()[0]?.text).toContain("The security team has been told");
  });

  it("'no' ends the mutes of the address asked at and of every account that has it, raising what they hid", async () => {
    const a = await askRig();
    // Alice is p1@example.com: the alert's account acc-1, and acc-1b, which has her address too.
    const p1 = { userEmail: "p1@example.com", userName: "Alice" };
    const { id, where } = await a.postAlert(asks, { userId: "acc-1", actorId: "acc-1", ...p1 });
    const now = a.clock.now();
    const reason = `expected; muted for 7 days by <@${RESPONDER}>`;
    // Responders muted mcp-off-hours about her e-mail alone (an API token's calls name no account)
    // and about acc-1b; an alert each kept quiet since.
    const quiet = (userKey: string, userId: string | null) => {
      a.stores.mutes.add(
        "org-1",
        { ruleId: "mcp-off-hours", userKey, until: now + 7 * DAY, reason },
        RESPONDER,
        now - 4 * HOUR,
      );
      return a.raise(
        {
          ruleId: "mcp-off-hours",
          groupKey: `mcp-off-hours|${userKey}`,
          userId,
          ...p1,
          notify: false,
          suppressedBy: reason,
          createdAt: T0 - HOUR,
        },
        { userId, actorId: userId, ...p1, authKind: userId ? "oauth" : "api-token" },
      );
    };
    const hidden = [quiet("email:p1@example.com", null), quiet("acc-1b", "acc-1b")];

    await a.click("ask_no", ALICE, String(id), {
      channel: a.slack.dmChannel(ALICE),
      ts: a.dm()[0]?.ts ?? "",
    });
    await a.waitForThread(where.ts, `<@${ALICE}> says this was *not* them`);
    const later = a.clock.now();
    for (const key of ["email:p1@example.com", "acc-1b"])
      expect(a.stores.mutes.running("org-1", "mcp-off-hours", key, later)).toEqual([]);
    const raised = a.alerts.list("org-1").filter((x) => x.ruleId === HIDDEN_BY_MUTE_RULE);
    expect(raised.map((x) => x.detail.hiddenAlerts)).toEqual([hidden]);
  });

  it("refuses anybody but the person asked", async () => {
    const a = await askRig();
    const { id } = await a.postAlert(asks);
    const click = await a.click("ask_no", RESPONDER, String(id), {
      channel: a.slack.dmChannel(ALICE),
      ts: a.dm()[0]?.ts ?? "",
    });
    expect(await click.reply()).toBe("Only the person this question was sent to can answer it.");
    expect(a.alerts.get(id)).toMatchObject({ severity: "medium", status: "open" });
    expect(a.store.get("org-1", id)?.answer).toBeNull();
  });

  it("does not ask someone Slack does not know, nor API-token actors, and notes why in the thread", async () => {
    const a = await askRig();
    const stranger = await a.postAlert({ ...asks, userEmail: "nobody@example.com" });
    const token = await a.postAlert({
      ...asks,
      authKind: "api-token",
      userEmail: "svc@example.com",
    });
    expect(a.dm()).toHaveLength(0);
    expect(a.slack.callsTo("conversations.open")).toHaveLength(0);
    expect(a.thread(stranger.where.ts)).toEqual([
      "Not asked: nobody@example.com was not found in this Slack workspace.",
    ]);
    expect(a.thread(token.where.ts)).toEqual([
      "Not asked: API-token calls do not say who the end user is, so there is nobody to ask.",
    ]);
    expect(a.slack.callsTo("users.lookupByEmail").map((c) => c.params.email)).toEqual([
      "nobody@example.com",
    ]);
  });

  it("asks only for the rules configured to ask", async () => {
    const a = await askRig("ask:\n  rules: [mcp-burst]\n");
    const { id, where } = await a.postAlert(asks);
    expect(a.dm()).toHaveLength(0);
    expect(a.thread(where.ts)).toEqual([]);
    expect(a.store.get("org-1", id)?.askState).toBe("none");
  });
});

describe("escalation", () => {
  const posted = { ruleId: "mcp-destructive" };

  it("reminds the responders once per period, twice at most", async () => {
    const a = await askRig();
    const { id, where } = await a.postAlert(posted);
    a.clock.advance(2 * HOUR - 60_000);
    await a.pass();
    expect(a.thread(where.ts)).toEqual([]);
    a.clock.advance(60_000);
    await a.pass();
    await a.pass();
    expect(a.thread(where.ts)).toHaveLength(1);
    // It names the alert: a reply's notification does not show the message it is under.
    const title = a.stores.alerts.list("org-1")[0]?.title;
    expect(title).toMatch(/\w/);
    expect(
      a
        .thread(where.ts)[0]
        ?.startsWith(
          `⏰ <!subteam^${GROUP}> [HIGH] alert ${id}: ${title} is still open: nobody has acknowledged it since <!date^`,
        ),
    ).toBe(true);
    a.clock.advance(2 * HOUR);
    await a.pass();
    expect(a.thread(where.ts)).toHaveLength(2);
    expect(a.thread(where.ts)[1]).toContain("This is the last reminder.");
    a.clock.advance(10 * HOUR);
    await a.pass();
    expect(a.thread(where.ts)).toHaveLength(2);
  });

  it("names the organization in a reminder and in a 'not me', when several are watched", async () => {
    const a = await askRig("", { organization: "Beta" });
    const { id, where } = await a.postAlert({ ...asks, severity: "high" });
    const title = a.stores.alerts.list("org-1")[0]?.title ?? "";
    a.clock.advance(2 * HOUR);
    await a.pass();
    expect(a.thread(where.ts).find((t) => t.startsWith("⏰"))).toContain(
      `[HIGH] alert ${id}: ${title} · Beta is still open`,
    );
    await a.click("ask_no", ALICE, String(id), {
      channel: a.slack.dmChannel(ALICE),
      ts: a.dm()[0]?.ts ?? "",
    });
    await a.waitForThread(
      where.ts,
      `<@${ALICE}> says this was *not* them ([HIGH] alert ${id}: ${title} · Beta)`,
    );
  });

  it("reminds of high alerts only, unless escalation.minSeverity says otherwise", async () => {
    const medium = { ruleId: "mcp-write", severity: "medium" as const };
    const a = await askRig();
    const { id, where } = await a.postAlert(medium);
    a.clock.advance(2 * HOUR);
    await a.pass();
    expect(a.thread(where.ts)).toEqual([]);
    // Grown high before its second reminder's time: reminded then, the time that passed silently
    // not counted (its two reminders are still to come).
    a.db.prepare("UPDATE alerts SET severity = 'high' WHERE id = ?").run(id);
    a.clock.advance(2 * HOUR);
    await a.pass();
    expect(a.thread(where.ts)).toHaveLength(1);
    expect(a.thread(where.ts)[0]).not.toContain("This is the last reminder.");
    a.clock.advance(2 * HOUR);
    await a.pass();
    expect(a.thread(where.ts)[1]).toContain("This is the last reminder.");
    const all = await askRig("escalation:\n  minSeverity: medium\n");
    const reminded = await all.postAlert(medium);
    all.clock.advance(2 * HOUR);
    await all.pass();
    expect(all.thread(reminded.where.ts)).toHaveLength(1);
  });

  it("survives a restart: the stored timer neither repeats nor loses a reminder", async () => {
    const a = await askRig();
    const { where } = await a.postAlert(posted);
    a.clock.advance(2 * HOUR);
    await a.pass();
    const restarted = a.makeFollowUps();
    await a.pass(restarted);
    expect(a.thread(where.ts)).toHaveLength(1);
    a.clock.advance(2 * HOUR);
    await a.pass(restarted);
    expect(a.thread(where.ts)).toHaveLength(2);
  });

  it("stops once the alert is acknowledged", async () => {
    const a = await askRig();
    const { id, where } = await a.postAlert(posted);
    await a.click("alert_acknowledge", RESPONDER, String(id), where);
    await a.slack.waitFor(
      () => a.alerts.get(id)?.status === "acknowledged",
      5000,
      "the acknowledgement",
    );
    a.clock.advance(5 * HOUR);
    await a.pass();
    expect(a.thread(where.ts)).toEqual([]);
    expect(a.store.get("org-1", id)?.nextReminderAt).toBeNull();
  });

  it("reminds of a medium alert denied hours after its reminder times passed: high now", async () => {
    const a = await askRig();
    const { id, where } = await a.postAlert({ ruleId: "mcp-first-use", severity: "medium" });
    for (let h = 0; h < 5; h++) {
      a.clock.advance(HOUR);
      await a.pass(); // its reminder times pass silently: medium is below escalation.minSeverity
    }
    a.clock.advance(30 * 60_000);
    await a.click("ask_no", ALICE, String(id), {
      channel: a.slack.dmChannel(ALICE),
      ts: a.dm()[0]?.ts ?? "",
    });
    await a.waitForThread(where.ts, "says this was *not* them");
    expect(a.alerts.get(id)).toMatchObject({ severity: "high", status: "open" });
    for (let h = 0; h < 6; h++) {
      a.clock.advance(HOUR);
      await a.pass();
    }
    const reminders = a.thread(where.ts).filter((t) => t.startsWith("⏰"));
    expect(reminders).toHaveLength(2);
    expect(reminders[1]).toContain("This is the last reminder.");
  });

  it("reminds of an alert reopened after it was acknowledged, from the reopening", async () => {
    const a = await askRig();
    const { id, where } = await a.postAlert(posted);
    a.clock.advance(10 * 60_000);
    await a.click("alert_acknowledge", RESPONDER, String(id), where);
    await a.slack.waitFor(() => a.alerts.get(id)?.status === "acknowledged", 5000, "the ack");
    const reopenedAt = a.clock.now();
    await a.click("alert_reopen", RESPONDER, String(id), where);
    await a.slack.waitFor(() => a.alerts.get(id)?.status === "open", 5000, "the reopening");
    expect(a.store.get("org-1", id)?.nextReminderAt).toBeGreaterThanOrEqual(reopenedAt + 2 * HOUR);
    a.clock.advance(2 * HOUR);
    await a.pass();
    expect(a.thread(where.ts).filter((t) => t.startsWith("⏰"))).toHaveLength(1);
  });

  it("counts only working hours when configured, and is off with 0 minutes", async () => {
    const a = await askRig(
      "escalation:\n  afterMinutes: 120\n  workingHoursOnly: true\nworkingHours:\n  timezone: UTC\n  start: '09:00'\n  end: '18:00'\n",
    );
    const friday5pm = Date.UTC(2026, 10, 6, 17, 0);
    expect(a.followUps.reminderAfter(friday5pm)).toBe(Date.UTC(2026, 10, 9, 10, 0));
    const off = await askRig("escalation:\n  afterMinutes: 0\n");
    const { id } = await off.postAlert(posted);
    expect(off.store.get("org-1", id)?.nextReminderAt).toBeNull();
  });
});

describe("snooze", () => {
  it("mutes the rule for that person for the hours chosen, from the alert's menu", async () => {
    const a = await askRig();
    const { id, where } = await a.postAlert({ ruleId: "mcp-destructive" });
    await a.click("alert_snooze", RESPONDER, `${id}:4`, where, true);
    await a.waitForThread(
      where.ts,
      `<@${RESPONDER}> snoozed mcp-destructive alerts about Person 1`,
    );
    const mutes = new MuteStore(a.db);
    const now = a.clock.now();
    expect(mutes.reasonAt("org-1", "mcp-destructive", "acc-1", now + 3 * HOUR)).toBe(
      `snoozed for 4 h by <@${RESPONDER}>`,
    );
    expect(mutes.reasonAt("org-1", "mcp-destructive", "acc-1", now + 5 * HOUR)).toBeUndefined();
    expect(a.trail.history("org-1", id).at(-1)?.note).toBe("snoozed mcp-destructive for 4 h");
  });

  it("is refused to non-responders and for values that were tampered with", async () => {
    const a = await askRig();
    const { id, where } = await a.postAlert({ ruleId: "mcp-destructive" });
    const outsider = await a.click("alert_snooze", ALICE, `${id}:4`, where, true);
    expect(await outsider.reply()).toContain("Only responders can do this.");
    const tampered = await a.click("alert_snooze", RESPONDER, `${id}:9999`, where, true);
    expect(await tampered.reply()).toBe("That alert is not known here any more.");
    expect(
      new MuteStore(a.db).reasonAt("org-1", "mcp-destructive", "acc-1", a.clock.now() + 1),
    ).toBeUndefined();
  });
});

/** Who may act, on whom: through the real Bolt app, signed requests and the fake Slack Web API. */
import { describe, expect, it } from "vitest";
import { parseRulesText } from "../../src/detect/rules-file.js";
import { registerAlertActions } from "../../src/slack/alerts/actions.js";
import { registerCommand } from "../../src/slack/commands/slash-command.js";
import { SlackDirectory } from "../../src/slack/directory.js";
import { registerAskActions } from "../../src/slack/people/ask-actions.js";
import { FollowUps } from "../../src/slack/people/followups.js";
import { PUBLIC_CHANNEL } from "../../src/slack/responders.js";
import { DAY, MINUTE } from "../../src/time-units.js";
import { normalizedEvent } from "../detect/fixtures.js";
import { boltApp } from "./bolt.js";
import { RESPONDER, twoOrgCommands } from "./commands/two-orgs-rig.js";
import { CHANNEL, slackRig } from "./setup.js";

async function rig(options: { responders?: string; members?: string[] } = {}) {
  const r = await slackRig();
  r.slack.addUser({ id: RESPONDER, email: "resp@example.com" });
  r.slack.setMembers(CHANNEL, options.members ?? [RESPONDER]);
  const b = await boltApp(
    r,
    (app, responders) => {
      const deps = r.actionDeps({ responders });
      registerAlertActions(app, deps);
      registerAskActions(app, deps);
    },
    { responders: options.responders },
  );
  const id = r.raise({ userEmail: "p1@example.com" });
  await r.poster.drain();
  const ts = r.slack.messages(CHANNEL)[0]?.ts ?? "";
  const ack = (user: string, action = "alert_acknowledge") =>
    b.click(action, user, r.buttonRef(id), { channel: CHANNEL, ts });
  return { ...r, ...b, id, ts, ack };
}

/** A responder's click on an alert of the rig, on its message. */
function ackOn(r: Awaited<ReturnType<typeof rig>>, user: string, id: number) {
  return r.click("alert_acknowledge", user, r.buttonRef(id), { channel: CHANNEL, ts: r.ts });
}

describe("responders by channel membership", () => {
  it.each([
    ["public", { is_private: false }],
    ["shared with another company", { is_private: true, is_ext_shared: true }],
    ["shared within the organization", { is_private: true, is_org_shared: true }],
    ["shared", { is_private: true, is_shared: true }],
  ])("a %s alert channel makes nobody a responder, and says so", async (_label, info) => {
    const r = await slackRig();
    r.slack.setChannel(CHANNEL, info);
    r.slack.addUser({ id: RESPONDER });
    r.slack.setMembers(CHANNEL, [RESPONDER]);
    const b = await boltApp(r, (app, responders) =>
      registerAlertActions(app, r.actionDeps({ responders })),
    );
    const id = r.raise();
    const click = await b.click("alert_acknowledge", RESPONDER, r.buttonRef(id));
    expect(await click.reply()).toContain("the alert channel is public or shared");
    expect(await click.reply()).toContain("SLACK_RESPONDERS");
    expect(r.alerts.get(id)?.status).toBe("open");
    expect(b.responders.status()).toBe(PUBLIC_CHANNEL);
    expect(r.logs.text()).toContain(`responders: ${PUBLIC_CHANNEL}`);
  });

  it("a private, unshared channel's members are responders", async () => {
    const r = await rig();
    const click = await r.ack(RESPONDER);
    expect(click.status).toBe(200);
    await r.slack.waitFor(() => r.alerts.get(r.id)?.status === "acknowledged", 5000, "the ack");
    expect(r.responders.status()).toBe("members of the private alert channel (1)");
  });

  it.each([
    ["a guest", { is_restricted: true }],
    ["a single-channel guest", { is_ultra_restricted: true }],
    ["a bot", { is_bot: true }],
    ["an app", { is_app_user: true }],
    ["deactivated", { deleted: true }],
    ["of another workspace", { team_id: "T0OTHER" }],
  ])("never someone who is %s, by membership or by user group", async (_label, flags) => {
    for (const responders of ["", "S0TEAM"]) {
      const r = await rig({ responders, members: [RESPONDER, "UODD"] });
      r.slack.setUsergroup("S0TEAM", [RESPONDER, "UODD"]);
      r.slack.addUser({ id: "UODD", ...flags });
      const click = await r.ack("UODD");
      expect(await click.reply()).toMatch(/^Only responders can do this, and .* never are\.$/);
      expect(r.alerts.get(r.id)?.status).toBe("open");
    }
  });

  it("refuses everyone while the responders cannot be looked up at all (fail closed)", async () => {
    const r = await rig();
    r.slack.failNext("conversations.info", { error: "internal_error" });
    const click = await r.ack(RESPONDER);
    expect(await click.reply()).toBe(
      "The responders cannot be looked up right now; try again in a minute.",
    );
    expect(r.alerts.get(r.id)?.status).toBe("open");
    // The log says what holds now: nobody known, refused; not "the last known stay".
    expect(r.logs.text()).toContain(
      "could not look the responders up (internal_error): Slack, or a proxy on the way, answers with errors: see status.slack.com, and the proxy's log if one is set; buttons and commands that need one are refused until it works",
    );
    expect(r.logs.text()).not.toContain("the last known stay");
  });
});

describe("responders while their look-up fails", () => {
  it("a member removed keeps acting an hour at most, and /healthz says the membership is old", async () => {
    const r = await rig({ members: [RESPONDER, "UGONE"] });
    r.slack.addUser({ id: "UGONE", email: "gone@example.com" });
    await r.ack(RESPONDER);
    await r.slack.waitFor(() => r.alerts.get(r.id)?.status === "acknowledged", 5000, "the ack");

    // Removed from the channel; from now on the bot cannot see the channel at all.
    r.slack.setMembers(CHANNEL, [RESPONDER]);
    r.slack.failNext("conversations.info", { error: "channel_not_found" }, 1000);
    r.clock.advance(30 * MINUTE);
    const second = r.raise({ title: "second" });
    await ackOn(r, "UGONE", second);
    await r.slack.waitFor(() => r.alerts.get(second)?.status === "acknowledged", 5000, "the ack");
    expect(r.responders.status()).toBe(
      "members of the private alert channel (2), as looked up 30 min ago: look-ups fail (channel_not_found); nobody may handle alerts in 35 min unless one succeeds",
    );
    // The log says the same: how long the last known stay, then that nobody may act.
    expect(r.logs.text()).toContain(
      "could not refresh the responders (channel_not_found): check SLACK_ALERT_CHANNEL (a channel id such as C0123ABCD) and invite the bot there; the last known stay 35 min more at most",
    );
    expect(r.logs.text()).not.toContain("refused until it works");

    r.clock.advance(3 * 60 * MINUTE);
    const third = r.raise({ title: "third" });
    const click = await ackOn(r, "UGONE", third);
    expect(await click.reply()).toBe(
      "The responders cannot be looked up right now; try again in a minute.",
    );
    expect(r.alerts.get(third)?.status).toBe("open");
    expect(r.responders.status()).toMatch(/^none for now — they could not be looked up/);
    expect(r.logs.text()).toContain(
      "could not look the responders up (channel_not_found): check SLACK_ALERT_CHANNEL (a channel id such as C0123ABCD) and invite the bot there; buttons and commands that need one are refused until it works",
    );
  });

  it("a burst when the membership is due costs one look-up, and a failed one is not retried at once", async () => {
    const r = await rig();
    r.slack.addUser({ id: "UMAL", email: "mal@example.com", tz: "UTC" });
    const b = await boltApp(r, (app, responders) =>
      registerCommand(app, r.commandDeps({ responders })),
    );
    await b.responders.refresh();
    const before = r.slack.callsTo("conversations.info").length;
    r.clock.advance(6 * MINUTE);
    r.slack.failNext("conversations.info", { delayMs: 300 });
    const burst = Array.from({ length: 40 }, () => b.command("status", "UMAL"));
    await Promise.all(burst.map(async (command) => (await command).body()));
    expect(r.slack.callsTo("conversations.info").length - before).toBe(1);

    r.clock.advance(6 * MINUTE);
    r.slack.failNext("conversations.info", { error: "ratelimited" }, 1000);
    const failing = Array.from({ length: 10 }, () => b.command("status", "UMAL"));
    await Promise.all(failing.map(async (command) => (await command).body()));
    expect(r.slack.callsTo("conversations.info").length - before).toBe(2);
  });
});

describe("a responder whose profile cannot be looked up", () => {
  it("is refused (fail closed), the alert left open and nothing in its trail", async () => {
    const r = await rig();
    r.slack.failNext("users.info", { error: "internal_error" }, 5);
    const click = await r.ack(RESPONDER);
    expect(await click.reply()).toBe(
      "I could not check who you are right now; try again in a minute.",
    );
    expect(r.alerts.get(r.id)?.status).toBe("open");
    expect(r.stores.trail.history("org-1", r.id)).toEqual([]);
    expect(r.logs.text()).toContain("could not look a responder up; refused");
  });
});

describe("Settings to change", () => {
  it("answers responders alone: the admin paths and the organization's links are theirs", async () => {
    const r = await rig();
    r.slack.addUser({ id: "UOUTSIDER", email: "out@example.com" });
    const outsider = await r.ack("UOUTSIDER", "alert_settings");
    expect(await outsider.reply()).toMatch(/^Only responders can do this\./);
    const responder = await r.ack(RESPONDER, "alert_settings");
    expect(await responder.reply()).toContain("admin.atlassian.com");
  });
});

describe("a burst from one person", () => {
  it("costs one profile look-up, and a rate limit it meets does not lock responders out", async () => {
    const r = await slackRig();
    r.slack.setMembers(CHANNEL, [RESPONDER]);
    r.slack.addUser({ id: RESPONDER, email: "resp@example.com", tz: "UTC" });
    r.slack.addUser({ id: "UMAL", email: "mal@example.com", tz: "UTC" });
    const b = await boltApp(r, (app, responders) => {
      registerAlertActions(app, r.actionDeps({ responders }));
      registerCommand(app, r.commandDeps({ responders }));
    });
    const first = r.raise({ title: "first" });
    await b.click("alert_acknowledge", RESPONDER, r.buttonRef(first));
    await r.slack.waitFor(() => r.alerts.get(first)?.status === "acknowledged", 5000, "the ack");

    // Twenty commands at once, while Slack is slow: one users.info between them.
    r.slack.failNext("users.info", { delayMs: 300 });
    const burst = Array.from({ length: 20 }, () => b.command("user:me since:1d", "UMAL"));
    await Promise.all(burst.map(async (command) => (await command).body()));
    const lookUps = () => r.slack.callsTo("users.info").filter((c) => c.params.user === "UMAL");
    expect(lookUps()).toHaveLength(1);

    // Their next look-up meets a 429 that pauses users.info for 15 minutes, for the whole app.
    r.clock.advance(6 * MINUTE);
    r.slack.failNext("users.info", { status: 429, retryAfter: 900 });
    await (await b.command("user:me since:1d", "UMAL")).body();
    expect(r.pauses.holding("users.info")).toBeDefined();
    // The responder, looked up before and stale now, still acts on the last answer Slack gave.
    const second = r.raise({ title: "second" });
    await b.click("alert_acknowledge", RESPONDER, r.buttonRef(second));
    await r.slack.waitFor(() => r.alerts.get(second)?.status === "acknowledged", 5000, "the ack");
  });
});

describe("no self-triage", () => {
  it("a responder cannot handle an alert about themselves, and the refusal is in the trail", async () => {
    const r = await rig();
    r.slack.addUser({ id: "UPERSON", email: "p1@example.com" });
    r.slack.setMembers(CHANNEL, [RESPONDER, "UPERSON"]);
    const closing = [
      "alert_acknowledge",
      "alert_true_positive",
      "alert_expected",
      "alert_expected_mute",
    ];
    for (const action of closing) {
      const click = await r.ack("UPERSON", action);
      expect(await click.reply()).toBe("Someone else must handle alerts about you.");
    }
    const snooze = await r.click(
      "alert_snooze",
      "UPERSON",
      `${r.id}:4`,
      { channel: CHANNEL, ts: r.ts },
      true,
    );
    expect(await snooze.reply()).toBe("Someone else must handle alerts about you.");
    expect(r.alerts.get(r.id)?.status).toBe("open");
    expect(
      r.stores.mutes.reasonAt("org-1", "mcp-destructive", "acc-1", r.clock.now() + 1),
    ).toBeUndefined();
    expect(r.stores.trail.history("org-1", r.id).map((e) => `${e.actor} ${e.note}`)).toEqual([
      "UPERSON refused acknowledge: someone else must handle alerts about them",
      "UPERSON refused true-positive: someone else must handle alerts about them",
      "UPERSON refused expected: someone else must handle alerts about them",
      "UPERSON refused expected-mute: someone else must handle alerts about them",
      "UPERSON refused snooze: someone else must handle alerts about them",
    ]);
    // Another responder decides it.
    await r.ack(RESPONDER, "alert_true_positive");
    await r.slack.waitFor(
      () => r.alerts.get(r.id)?.status === "true_positive",
      5000,
      "true positive",
    );
  });
});

describe("no self-triage without the alert's e-mail", () => {
  it("knows the responder from their Slack e-mail on the alert's account in the events", async () => {
    const r = await rig({ members: [RESPONDER, "UPAT"] });
    r.slack.addUser({ id: "UPAT", email: "Pat@Corp.example" });
    // The alert itself names no e-mail (an API-token call, say); an earlier event of the same
    // account carried Pat's.
    const id = r.raise(
      { userId: "acc-pat", userEmail: null, groupKey: "mcp-destructive|acc-pat" },
      { userId: "acc-pat", userEmail: "pat@corp.example" },
    );
    await r.poster.drain();
    const ts = r.slack.messages(CHANNEL).at(-1)?.ts ?? "";
    const click = await r.click("alert_acknowledge", "UPAT", r.buttonRef(id), {
      channel: CHANNEL,
      ts,
    });
    expect(await click.reply()).toBe("Someone else must handle alerts about you.");
    expect(r.alerts.get(id)?.status).toBe("open");
    // Another responder handles it.
    await r.click("alert_acknowledge", RESPONDER, r.buttonRef(id), { channel: CHANNEL, ts });
    await r.slack.waitFor(() => r.alerts.get(id)?.status === "acknowledged", 5000, "acknowledged");
  });
});

describe("no self-triage after the account's address changed", () => {
  it("refuses the one whose Slack e-mail the account had before, whatever it has now", async () => {
    const r = await rig({ members: [RESPONDER, "UPAT"] });
    r.slack.addUser({ id: "UPAT", email: "pat@corp.example" }); // Slack not updated yet
    // Pat's account made calls with pat@corp.example; Atlassian then changed its address.
    const id = r.raise(
      { userId: "acc-pat", userEmail: "pat.new@corp.example", groupKey: "mcp-destructive|acc-pat" },
      { userId: "acc-pat", userEmail: "pat.new@corp.example", time: r.clock.now() - 1000 },
    );
    r.stores.events.insertMany(
      [
        normalizedEvent({
          id: "pat-old",
          userId: "acc-pat",
          userEmail: "pat@corp.example",
          time: r.clock.now() - 3 * DAY,
        }),
      ],
      r.clock.now(),
    );
    await r.poster.drain();
    const ts = r.slack.messages(CHANNEL).at(-1)?.ts ?? "";
    const click = await r.click("alert_acknowledge", "UPAT", r.buttonRef(id), {
      channel: CHANNEL,
      ts,
    });
    expect(await click.reply()).toBe("Someone else must handle alerts about you.");
    expect(r.alerts.get(id)?.status).toBe("open");
  });
});

describe("no self-triage by the account that acted for someone", () => {
  it("refuses the owner of an account that made the calls on someone else's behalf", async () => {
    const r = await rig({ members: [RESPONDER, "UPAT"] });
    r.slack.addUser({ id: "UPAT", email: "pat@corp.example" });
    // Pat's service account called the tools on Dana's behalf: the alert is about Dana.
    const onBehalf = normalizedEvent({
      actorId: "acc-svc-pat",
      actorName: "Pat's sync",
      actorEmail: "pat@corp.example",
      onBehalfOfId: "acc-dana",
      onBehalfOfName: "Dana",
      onBehalfOfEmail: "dana@corp.example",
      userId: "acc-dana",
      userName: "Dana",
      userEmail: "dana@corp.example",
    });
    const id = r.raise(
      { userId: "acc-dana", userEmail: "dana@corp.example", groupKey: "mcp-destructive|acc-dana" },
      onBehalf,
    );
    await r.poster.drain();
    const ts = r.slack.messages(CHANNEL).at(-1)?.ts ?? "";
    const click = await r.click("alert_expected_mute", "UPAT", r.buttonRef(id), {
      channel: CHANNEL,
      ts,
    });
    expect(await click.reply()).toBe("Someone else must handle alerts about you.");
    expect(r.alerts.get(id)?.status).toBe("open");
  });
});

describe("'not me' undoes the quiet", () => {
  it("ends every mute, snooze and suppression of the person, and raises again, as one alert, what they hid", async () => {
    const r = await rig({ members: [RESPONDER] });
    r.slack.addUser({ id: "UPERSON", email: "pat@example.com" });
    const pat = { userId: "acc-pat", userEmail: "pat@example.com", userName: "Pat" };
    // An earlier alert about Pat, marked expected and muted by a responder; a snooze of another rule.
    const earlier = r.raise({ ...pat, ruleId: "mcp-write", severity: "medium" });
    await r.poster.drain();
    const earlierTs = r.slack.messages(CHANNEL).at(-1)?.ts ?? "";
    await r.click("alert_expected_mute", RESPONDER, r.buttonRef(earlier), {
      channel: CHANNEL,
      ts: earlierTs,
    });
    await r.slack.waitFor(() => r.alerts.get(earlier)?.status === "expected", 5000, "expected");
    const other = r.raise({ ...pat, ruleId: "mcp-destructive", severity: "medium" });
    await r.poster.drain();
    const otherTs = r.slack.messages(CHANNEL).at(-1)?.ts ?? "";
    await r.click(
      "alert_snooze",
      RESPONDER,
      `${r.buttonRef(other)}:24`,
      { channel: CHANNEL, ts: otherTs },
      true,
    );
    await r.slack.waitFor(
      () => r.stores.trail.history("org-1", other).length === 1,
      5000,
      "snoozed",
    );
    // A suppression of a third rule a responder added.
    r.stores.suppressions.add(
      "org-1",
      { ruleId: "mcp-burst", userKey: "acc-pat", reason: "marked expected 3 times", alertId: null },
      RESPONDER,
      r.clock.now(),
    );
    // What the rules kept quiet since: stored, not posted.
    r.clock.advance(60_000);
    const hidden = [1, 2, 3].map(() =>
      r.raise({
        ...pat,
        ruleId: "mcp-write",
        suppressedBy: `marked expected on alert ${earlier}, muted for 7 days by <@${RESPONDER}>`,
        notify: false,
        createdAt: r.clock.now(),
      }),
    );
    hidden.push(
      r.raise({
        ...pat,
        ruleId: "mcp-burst",
        suppressedBy: `suppressed by <@${RESPONDER}>: marked expected 3 times`,
        notify: false,
        createdAt: r.clock.now(),
      }),
    );
    // The same Atlassian account in another watched organization: muted there too, and an alert
    // about it kept quiet by that mute.
    const mutedThere = `marked expected by <@${RESPONDER}>, muted for 7 days`;
    r.stores.mutes.add(
      "org-2",
      {
        ruleId: "mcp-destructive",
        userKey: "acc-pat",
        until: r.clock.now() + DAY,
        reason: mutedThere,
      },
      RESPONDER,
      r.clock.now() - 1_000,
    );
    const hiddenThere = r.raise({
      ...pat,
      orgId: "org-2",
      ruleId: "mcp-destructive",
      suppressedBy: mutedThere,
      notify: false,
      createdAt: r.clock.now(),
    });
    // Pat is asked about a new alert, and says it was not them.
    const asked = r.raise({ ...pat, ruleId: "mcp-first-use", severity: "medium" });
    await r.poster.drain();
    const followUps = new FollowUps({
      stores: r.stores,
      clock: r.clock,
      logger: r.logs.logger,
      orgId: "org-1",
      orgIds: ["org-1"],
      rules: parseRulesText("", "rules.yml"),
      directory: new SlackDirectory({ client: r.client, clock: r.clock }),
      responders: r.responders,
    });
    await followUps.pass();
    await r.poster.drain();
    const question = r.slack.messages(r.slack.dmChannel("UPERSON"))[0];
    await r.click("ask_no", "UPERSON", r.buttonRef(asked), {
      channel: r.slack.dmChannel("UPERSON"),
      ts: question?.ts ?? "",
    });
    const reraised = () => r.alerts.list("org-1").find((a) => a.ruleId === "mcp-hidden-by-mute");
    await r.slack.waitFor(() => reraised() !== undefined, 5000, "the hidden alerts raised again");
    expect(reraised()).toMatchObject({
      severity: "high",
      notify: true,
      detail: { hiddenAlerts: hidden, rules: ["mcp-write", "mcp-burst"] },
      title:
        "4 alerts about Pat kept quiet by mutes or suppressions, raised again: they say an alert about them was not them",
    });
    expect(
      r.stores.mutes.reasonAt("org-1", "mcp-write", "acc-pat", r.clock.now() + 1),
    ).toBeUndefined();
    expect(
      r.stores.trail.history("org-1", asked).filter((e) => e.note?.startsWith("ended the mute")),
    ).toHaveLength(3);
    // In the other organization too: its mute ended, what it hid raised again there.
    expect(r.stores.mutes.running("org-2", "mcp-destructive", "acc-pat", r.clock.now())).toEqual(
      [],
    );
    expect(r.stores.trail.history("org-1", asked).map((e) => e.note)).toContain(
      `ended the mute of mcp-destructive in organization org-2 (${mutedThere}): the person said it was not them`,
    );
    expect(r.alerts.list("org-2").find((a) => a.ruleId === "mcp-hidden-by-mute")).toMatchObject({
      severity: "high",
      notify: true,
      detail: { hiddenAlerts: [hiddenThere] },
    });
    expect(r.stores.suppressions.list()).toEqual([]);
    expect(r.stores.trail.history("org-1", asked).map((e) => e.note)).toContain(
      "ended the suppression of mcp-burst (marked expected 3 times): the person said it was not them",
    );
    await r.poster.drain();
    const posted = r.slack
      .messages(CHANNEL)
      .filter((m) => m.text.includes("kept quiet by mutes or suppressions"));
    expect(posted).toHaveLength(1);
    const thread = r.slack.messages(CHANNEL).map((m) => m.text);
    expect(
      thread.some((t) =>
        t.includes(
          "3 mutes and 1 suppression of alerts about them ended; what they kept quiet is raised again as alert",
        ),
      ),
    ).toBe(true);
  });
});

describe("who sees what", () => {
  const commands = twoOrgCommands;

  it("status and the organizations watched are for responders", async () => {
    const c = await commands();
    const mine = await c.command("status", "UALICE");
    expect(await mine.reply()).toMatch(/^Only responders can do this\. Ask /);
    const theirs = await c.command("status", RESPONDER);
    expect(JSON.stringify(await theirs.body())).toContain("mcp-activity status:* healthy");
    const unknown = await c.command("org:nowhere user:me", "UALICE");
    expect(JSON.stringify(await unknown.body())).not.toMatch(/Acme|Umbrella|org-2/);
    const own = await c.command("user:me since:1d", "UALICE");
    expect(JSON.stringify(await own.body())).not.toMatch(/Acme|Umbrella|organizations/);
    const responder = await c.command("org:nowhere", RESPONDER);
    expect(JSON.stringify(await responder.body())).toContain("Umbrella");
  });

  it("someone an alert is about sees their own activity, not the alert nor how responders handled it", async () => {
    const c = await commands();
    c.raise({
      userId: "acc-alice",
      userName: "Alice Example",
      userEmail: "alice@example.com",
      title: "deleteJiraIssue by Alice Example",
    });
    c.clock.advance(60 * MINUTE); // the event is an hour old
    const theirs = await c.command("user:alice@example.com since:7d", RESPONDER);
    expect(JSON.stringify(await theirs.body())).toContain("deleteJiraIssue by Alice Example");
    const own = JSON.stringify(await (await c.command("user:me since:7d", "UALICE")).body());
    expect(own).toContain("1 MCP call");
    expect(own).not.toMatch(/Open alerts|by Alice Example/);
    for (const asked of ["user:me status:open", "user:me rule:mcp-destructive since:30d"]) {
      expect(await (await c.command(asked, "UALICE")).reply()).toMatch(
        /^`rule:` and `status:` are for responders\. Ask about your own activity/,
      );
    }
    // Whether an organization is watched is not told either: one where they did nothing answers
    // as one that is not watched.
    // (With org-2's history still being read: the note says so whichever is named.)
    const answer = async (org: string) =>
      JSON.stringify(await (await c.command(`org:${org} user:me since:7d`, "UALICE")).body());
    const watched = await answer("Umbrella");
    expect(watched).toContain("No MCP activity matches");
    expect((await answer("nowhere")).replaceAll("nowhere", "Umbrella")).toBe(watched);
    expect(await answer("Acme")).toContain("1 MCP call");
  });
});

describe("who someone is, for their own activity", () => {
  it("another company's member of a shared channel with someone's e-mail sees nothing of theirs", async () => {
    const r = await slackRig();
    r.slack.addUser({ id: "UEXT", email: "alice@example.com", team_id: "T0OTHER" });
    r.slack.addUser({ id: "UALICE", email: "alice@example.com" });
    const b = await boltApp(r, (app, responders) =>
      registerCommand(app, r.commandDeps({ responders })),
    );
    r.raise({ userId: "acc-alice", userEmail: "alice@example.com" });
    r.clock.advance(60 * MINUTE);
    const outsider = JSON.stringify(await (await b.command("user:me since:7d", "UEXT")).body());
    expect(outsider).not.toContain("1 MCP call");
    expect(outsider).toContain("your Slack account gives no e-mail address I can take as yours");
    const own = JSON.stringify(await (await b.command("user:me since:7d", "UALICE")).body());
    expect(own).toContain("1 MCP call");
  });
});

describe("one transaction per decision", () => {
  it("'Expected, mute 7 days' is all or nothing: a failed mute leaves the alert open", async () => {
    const r = await rig();
    r.db.exec(
      "CREATE TRIGGER no_mutes BEFORE INSERT ON mutes BEGIN SELECT RAISE(ABORT, 'mutes are broken'); END",
    );
    const click = await r.ack(RESPONDER, "alert_expected_mute");
    expect(await click.reply()).toBe(
      "Something went wrong, so nothing was changed; the operator can find the details in the log.",
    );
    expect(r.logs.text()).toContain("mutes are broken");
    expect(r.alerts.get(r.id)?.status).toBe("open");
    expect(r.stores.trail.history("org-1", r.id)).toEqual([]);
    r.db.exec("DROP TRIGGER no_mutes");
    await r.ack(RESPONDER, "alert_expected_mute");
    await r.slack.waitFor(() => r.alerts.get(r.id)?.status === "expected", 5000, "expected");
    expect(r.stores.mutes.reasonAt("org-1", "mcp-destructive", "acc-1", r.clock.now() + 1)).toBe(
      `marked expected on alert ${r.id}, muted for 7 days by <@${RESPONDER}>`,
    );
  });
});

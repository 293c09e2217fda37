/** App Home through the real Bolt app, signed events and clicks, and the fake Slack Web API. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { DAY, HOUR } from "../../../src/time-units.js";
import { CHANNEL } from "../setup.js";
import { ALICE, BOB, homeRig, RESPONDER } from "./home-rig.js";

describe("App Home", () => {
  it("shows a responder the open alerts with the channel's buttons, the day's figures, health and the key", async () => {
    const r = await homeRig();
    const id = r.raise({ title: "deleteJiraIssue by <!channel> person" });
    r.activity([{ time: r.clock.now() - HOUR, userName: "Alice Example" }]);
    const opened = await r.openHome(RESPONDER);
    expect(opened.status).toBe(200);
    const home = await r.homeOf(RESPONDER);
    const publish = r.slack.callsTo("views.publish")[0];
    expect(publish?.params.user_id).toBe(RESPONDER);
    expect((publish?.params.view as { type?: string } | undefined)?.type).toBe("home");
    expect(home.text).toContain("Open alerts: 1");
    expect(home.text).toContain("&lt;!channel&gt;");
    expect(home.text).not.toContain("<!channel>");
    for (const action of [
      "alert_acknowledge",
      "alert_expected",
      "alert_true_positive",
      "alert_snooze",
    ])
      expect(home.text).toContain(action);
    expect(home.text).toContain(`"value":"${id}.`);
    expect(home.text).toContain("Last 24 hours against the 24 before");
    expect(home.text).toContain("Top people, last 24 hours");
    expect(home.text).toContain("Alice Example");
    expect(home.text).toContain("█");
    expect(home.text).toContain("Healthy");
    expect(home.text).toContain("in 10 days");
  });

  it("shows a responder who cannot be told one now their own activity, failing closed, saying why", async () => {
    const r = await homeRig();
    r.raise({ title: "an alert nobody else may see" });
    r.slack.failNext("conversations.info", { status: 503 });
    await r.openHome(RESPONDER);
    const home = await r.homeOf(RESPONDER);
    expect(home.text).toContain("Your AI-tool activity");
    expect(home.text).not.toContain("an alert nobody else may see");
    expect(home.text).toContain(
      "The responders cannot be looked up right now; try again in a minute.",
    );
  });

  it("opened again and again while it is being built, is built once", async () => {
    const r = await homeRig();
    r.slack.failNext("users.info", { delayMs: 300 });
    await Promise.all(Array.from({ length: 5 }, () => r.home.open(ALICE)));
    const built = r.db.prepare("SELECT count(*) AS n FROM outbox WHERE kind = 'home'").get();
    expect(built).toEqual({ n: 1 });
    await r.homeOf(ALICE);
  });

  it("shows anyone else only their own activity of the last 7 days, with a Not me button per day", async () => {
    const r = await homeRig();
    r.raise({ title: "an alert nobody else may see" });
    const now = r.clock.now();
    r.activity([
      { time: now - HOUR, tool: "createJiraIssue", toolClass: "write", resource: "OPS-7" },
      { time: now - 2 * 24 * HOUR, tool: "deleteJiraIssue", toolClass: "destructive" },
      { time: now - HOUR, userId: "acc-bob", userEmail: "bob@example.com", userName: "Bob" },
      { time: now - 9 * 24 * HOUR },
    ]);
    await r.openHome(ALICE);
    const home = await r.homeOf(ALICE);
    expect(home.text).toContain("Your AI-tool activity");
    expect(home.text).not.toContain("an alert nobody else may see");
    expect(home.text).not.toContain("Bob");
    expect(home.text).not.toContain("alert_acknowledge");
    expect(home.text).toContain("createJiraIssue");
    expect(home.text).toContain("In: OPS");
    // Today (the raised alert's event and one call), two days ago; not Bob's, not 9 days ago.
    expect(home.text.match(/home_not_me/g)?.length).toBe(2);
  });

  it("a person's Not me raises a high alert about them, through the answer's path, once", async () => {
    const r = await homeRig();
    const now = r.clock.now();
    r.activity([{ time: now - HOUR, tool: "deleteJiraIssue", toolClass: "destructive" }]);
    await r.openHome(ALICE);
    const home = await r.homeOf(ALICE);
    const value = /"value":"(\d{4}-\d\d-\d\d\|org-1)"/.exec(home.text)?.[1] ?? "";
    expect(value).toMatch(/^\d{4}-\d\d-\d\d\|org-1$/);
    await r.homeClick("home_not_me", ALICE, value);
    const after = await r.homeOf(ALICE, 2);
    expect(after.text).toContain(
      `the security team has been told that ${value.split("|")[0]} was not you (alert`,
    );
    const alert = r.alerts.list("org-1").find((a) => a.ruleId === "mcp-not-me");
    expect(alert?.severity).toBe("high");
    expect(alert?.userId).toBe("acc-alice");
    expect(r.stores.followUps.get("org-1", alert?.id ?? 0)?.answer).toBe("no");
    await r.slack.waitFor(() =>
      r.slack.messages(CHANNEL).some((m) => m.text.includes("says this was *not* them")),
    );
    const [post, reply] = r.slack.messages(CHANNEL);
    expect(post?.text).toContain("[HIGH]");
    expect(reply?.thread_ts).toBe(post?.ts);
    expect(reply?.text).toContain(`<@${ALICE}>`);
    // Said again: refused, nothing more raised.
    await r.homeClick("home_not_me", ALICE, value);
    const again = await r.homeOf(ALICE, 3);
    expect(again.text).toContain("You said so already");
    expect(r.alerts.list("org-1").filter((a) => a.ruleId === "mcp-not-me")).toHaveLength(1);
    // Handled by a responder, it is still said: no second alert, no second call to the channel.
    await r.homeClick("alert_acknowledge", RESPONDER, r.buttonRef(alert?.id ?? 0));
    await r.slack.waitFor(() => r.alerts.get(alert?.id ?? 0)?.status === "acknowledged");
    await r.homeClick("home_not_me", ALICE, value);
    const handled = await r.homeOf(ALICE, 4);
    expect(handled.text).toContain("You said so already");
    expect(handled.text).toContain("the security team has been told");
    expect(r.alerts.list("org-1").filter((a) => a.ruleId === "mcp-not-me")).toHaveLength(1);
    // New calls the same day, after it was handled: they may be denied again.
    r.activity([{ time: now - 10 * 60_000, tool: "deleteJiraIssue", toolClass: "destructive" }]);
    await r.homeClick("home_not_me", ALICE, value);
    await r.slack.waitFor(
      () => r.alerts.list("org-1").filter((a) => a.ruleId === "mcp-not-me").length === 2,
    );
  });

  it("nobody can say Not me for someone else: the clicker's own account is the one meant", async () => {
    const r = await homeRig();
    r.activity([{ time: r.clock.now() - HOUR }]);
    await r.openHome(ALICE);
    const home = await r.homeOf(ALICE);
    const value = /"value":"(\d{4}-\d\d-\d\d\|org-1)"/.exec(home.text)?.[1] ?? "";
    await r.homeClick("home_not_me", BOB, value);
    const bob = await r.homeOf(BOB);
    expect(bob.text).toContain("nothing was sent");
    expect(r.alerts.list("org-1")).toHaveLength(0);
  });

  it("an address an account gave up shows nobody that account: its new holder sees and denies nothing of it", async () => {
    const r = await homeRig();
    const now = r.clock.now();
    const carol = { userId: "acc-carol", actorId: "acc-carol", userName: "Carol Secret" };
    r.activity([
      // Weeks ago the account acc-carol had the address alice@example.com; it is carol's now.
      { ...carol, time: now - 20 * DAY, userEmail: "alice@example.com" },
      {
        ...carol,
        time: now - HOUR,
        userEmail: "carol@example.com",
        tool: "getConfluencePage",
        resource: "HR-42",
      },
    ]);
    // Alice, in Slack with alice@example.com, a different person with no activity, opens her Home.
    await r.openHome(ALICE);
    const home = await r.homeOf(ALICE);
    expect(home.text).not.toContain("getConfluencePage");
    // A Not me for today, as a forged or stale button would send it: nothing of Carol's is Alice's.
    const today = new Date(now).toISOString().slice(0, 10);
    await r.homeClick("home_not_me", ALICE, `${today}|org-1`);
    const after = await r.homeOf(ALICE, 2);
    expect(after.text).toContain("That day is no longer shown here");
    expect(r.alerts.list("org-1").filter((a) => a.ruleId === "mcp-not-me")).toEqual([]);
  });

  it("refreshes a responder's Home for the hour after they looked, not for ever", async () => {
    const r = await homeRig();
    await r.home.refreshChanged(); // the worker's first look
    await r.openHome(RESPONDER);
    await r.homeOf(RESPONDER, 1);
    // Alerts change every 30 minutes; the responder never opens the Home again.
    for (let i = 1; i <= 8; i++) {
      r.clock.advance(HOUR / 2);
      r.raise({ title: `alert ${i}` });
      await r.home.refreshChanged();
    }
    await r.settled();
    // Opened at 0: refreshed at 30 minutes, and at 60 at most.
    expect(r.slack.home(RESPONDER)?.publishes ?? 0).toBeLessThanOrEqual(3);
  });

  it("a responder's click in the Home acts on the alert and shows the Home anew", async () => {
    const r = await homeRig();
    const id = r.raise();
    await r.poster.drain();
    await r.openHome(RESPONDER);
    await r.homeOf(RESPONDER);
    await r.homeClick("alert_acknowledge", RESPONDER, r.buttonRef(id));
    const after = await r.homeOf(RESPONDER, 2);
    expect(r.alerts.get(id)?.status).toBe("acknowledged");
    expect(after.text).toContain("Open alerts");
    expect(after.text).not.toContain(`"value":"${id}.`);
    // Someone else's click from a Home is refused like anywhere.
    const other = r.raise();
    await r.homeClick("alert_acknowledge", ALICE, r.buttonRef(other));
    const alice = await r.homeOf(ALICE);
    expect(alice.text).toContain("Only responders can do this");
    expect(r.alerts.get(other)?.status).toBe("open");
  });

  it("an earlier release's button in a Home shown before the upgrade (a bare id) says so and does nothing", async () => {
    const r = await homeRig();
    const id = r.raise();
    await r.poster.drain();
    await r.openHome(RESPONDER);
    await r.homeOf(RESPONDER);
    await r.homeClick("alert_acknowledge", RESPONDER, String(id));
    const after = await r.homeOf(RESPONDER, 2);
    expect(after.text).toContain(
      "That button is from an earlier version of mcp-activity, so nothing was changed",
    );
    expect(after.text).toContain(`"value":"${r.buttonRef(id)}"`); // this release's buttons now
    expect(r.alerts.get(id)?.status).toBe("open");
  });

  it("responders' Homes are refreshed when alerts change, not otherwise", async () => {
    const r = await homeRig();
    await r.openHome(RESPONDER);
    await r.homeOf(RESPONDER);
    await r.home.refreshChanged(); // the first look
    await r.home.refreshChanged();
    expect(r.slack.home(RESPONDER)?.publishes).toBe(1);
    r.raise({ title: "a new alert" });
    await r.home.refreshChanged();
    const after = await r.homeOf(RESPONDER, 2);
    expect(after.text).toContain("a new alert");
    await r.home.refreshChanged();
    await r.settled();
    expect(r.slack.home(RESPONDER)?.publishes).toBe(2);
  });
});

describe("App Home through the outbox", () => {
  it("keeps only the latest view of a person: an older one still waiting is dropped", async () => {
    const r = await homeRig({ queued: false });
    await r.home.show(ALICE, "first");
    await r.home.show(ALICE, "second");
    await r.poster.drain();
    expect(r.slack.callsTo("views.publish")).toHaveLength(1);
    expect(JSON.stringify(r.slack.home(ALICE)?.blocks)).toContain("second");
    const states = r.db
      .prepare("SELECT state FROM outbox WHERE kind = 'home' ORDER BY id")
      .all() as Array<{ state: string }>;
    expect(states.map((s) => s.state)).toEqual(["dropped", "delivered"]);
  });

  it("a 429 on views.publish pauses views, not messages", async () => {
    const r = await homeRig({ queued: false });
    r.slack.failNext("views.publish", { status: 429, retryAfter: 30 });
    await r.home.show(ALICE);
    r.raise();
    await r.poster.drain();
    expect(r.pauses.holding("views.publish")).toBeDefined();
    expect(r.pauses.holding("chat.postMessage")).toBeUndefined();
    expect(r.slack.messages(CHANNEL)).toHaveLength(1);
    expect(r.slack.home(ALICE)).toBeUndefined();
    r.clock.advance(31_000);
    await r.poster.drain();
    expect(r.slack.home(ALICE)?.publishes).toBe(1);
  });
});

describe("the Slack app manifest", () => {
  it("has the Home tab and its event, and no scope beyond what the app uses", () => {
    const manifest = parse(readFileSync("manifest.yml", "utf8")) as {
      features: { app_home: { home_tab_enabled: boolean } };
      settings: { event_subscriptions: { bot_events: string[] } };
      oauth_config: { scopes: { bot: string[] } };
    };
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(["app_home_opened"]);
    expect(manifest.oauth_config.scopes.bot.sort()).toEqual(
      [
        "channels:history",
        "channels:read",
        "chat:write",
        "commands",
        "files:write",
        "groups:history",
        "groups:read",
        "im:history",
        "im:write",
        "usergroups:read",
        "users:read",
        "users:read.email",
      ].sort(),
    );
  });

  // Unescaped, Slack sends `user:@ali` as typed: a handle, not the person whose e-mail it maps to.
  it("has Slack escape users, channels and links in /mcp-activity's text", () => {
    const manifest = parse(readFileSync("manifest.yml", "utf8")) as {
      features: { slash_commands: Array<{ command: string; should_escape?: boolean }> };
    };
    expect(manifest.features.slash_commands).toMatchObject([
      { command: "/mcp-activity", should_escape: true },
    ]);
  });

  it("turns to HTTP mode by uncommenting its three URLs, and stays valid YAML", () => {
    const text = readFileSync("manifest.yml", "utf8");
    const http = text.replace(/# (url|request_url): /g, "$1: ");
    const manifest = parse(http) as {
      features: { slash_commands: Array<{ url?: string }> };
      settings: {
        event_subscriptions: { request_url?: string };
        interactivity: { request_url?: string };
      };
    };
    const url = "https://your-host.example.com/slack/events";
    expect(manifest.features.slash_commands[0]?.url).toBe(url);
    expect(manifest.settings.event_subscriptions.request_url).toBe(url);
    expect(manifest.settings.interactivity.request_url).toBe(url);
  });
});

import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { OutboxStore } from "../../src/store/outbox.js";
import type { SlackFault } from "../fakes/slack-api.js";
import { postSigned } from "../helpers/slack-sign.js";
import { readUntil, until } from "../helpers/until.js";
import {
  alertsToPost,
  CHANNEL,
  injectDestructiveCall,
  logged,
  SECRET,
  startFaultyApp,
} from "./harness.js";

const alertPosts = (r: Awaited<ReturnType<typeof startFaultyApp>>) =>
  r.slack.messages(CHANNEL).filter((m) => m.metadata?.event_type === "mcp_alert");

/** [label, fault, times, code on /healthz, advice (setup problems) or undefined, log line]. */
const CASES: Array<[string, SlackFault, number, string, string | undefined, string]> = [
  [
    "429 with Retry-After",
    { status: 429, retryAfter: 30 },
    2,
    "ratelimited",
    undefined,
    // The seconds are those left of the pause when it is said: on this fast clock, 30 or a little less.
    "Slack rate-limited chat.postMessage for ",
  ],
  [
    "500s",
    { status: 500 },
    5,
    "HTTP 500",
    undefined,
    "Slack delivery failed (HTTP 500); retrying with backoff. Messages stay queued.",
  ],
  [
    "ok:false internal_error",
    { error: "internal_error" },
    5,
    "internal_error",
    undefined,
    "Slack delivery failed (internal_error); retrying with backoff. Messages stay queued.",
  ],
  [
    "ok:false not_in_channel",
    { error: "not_in_channel" },
    2,
    "not_in_channel",
    "invite the bot to the alert channel: /invite @mcp-activity in that channel",
    "Slack refused to post (not_in_channel): invite the bot",
  ],
  [
    "ok:false channel_not_found",
    { error: "channel_not_found" },
    2,
    "channel_not_found",
    "check SLACK_ALERT_CHANNEL (a channel id such as C0123ABCD) and invite the bot there",
    "Slack refused to post (channel_not_found): check SLACK_ALERT_CHANNEL",
  ],
  [
    "ok:false invalid_auth",
    { error: "invalid_auth" },
    2,
    "invalid_auth",
    "SLACK_BOT_TOKEN is not valid: copy the Bot User OAuth Token again",
    "Slack refused the bot token (invalid_auth): SLACK_BOT_TOKEN is not valid",
  ],
];

describe("the running app while Slack fails", () => {
  it.each(CASES)(
    "%s: /healthz shows it, the alert stays queued, then is posted once",
    async (_label, fault, times, code, advice, line) => {
      // 20 times real time: a passing outage is no stall (10 minutes waited, 30 s here) however
      // slowly a loaded machine starts the app and delivers.
      const r = await startFaultyApp({ factor: 20 });
      r.slack.failNext("chat.postMessage", fault, times);
      // A token Slack refuses is refused to every call, the token's check too.
      if (code === "invalid_auth") r.slack.failNext("auth.test", fault, times);
      injectDestructiveCall(r, "live-1");

      const during = await readUntil(
        r.health,
        // The alert queued too: on a loaded machine another message may meet the fault first.
        (h) => h.body.slack.lastError !== null && (h.body.slack.outbox.pending.alert ?? 0) > 0,
        "/healthz to show Slack's error and the alert queued",
      );
      // A setup problem needs the operator: 503. An outage or a rate limit heals by itself: 200.
      expect(during.status).toBe(advice ? 503 : 200);
      expect(during.body.slack).toMatchObject({
        ok: advice === undefined,
        lastError: { code, advice: advice ?? null },
      });
      expect(during.body.slack.pendingDeliveries).toBeGreaterThan(0);
      expect(during.body.slack.outbox.pending.alert).toBeGreaterThan(0);
      // A 429 or a setup error holds the method for the workspace; an outage backs off instead.
      const held = code === "ratelimited" || advice !== undefined;
      expect(during.body.slack.paused.map((p) => `${p.method} ${p.reason}`)).toEqual(
        held ? [`chat.postMessage ${code}`] : [],
      );
      expect(during.body.poller.ok).toBe(true);
      const said = logged(r, line);
      expect(said).toHaveLength(1);
      expect(said[0]).toMatchObject({ level: advice ? 50 : 40, component: "outbox", code });
      if (code === "ratelimited")
        expect(String(said[0]?.msg)).toMatch(
          /for (2\d|30) s, for the whole workspace\. Messages stay queued\.$/,
        );

      await until(() => r.slack.pendingFaults("chat.postMessage") === 0, "the faults to be used");
      // Raised by now, each is posted once nothing waits; live calls may raise more before the stop.
      const raised = alertsToPost(r.databasePath);
      const after = await readUntil(
        r.health,
        (h) =>
          h.status === 200 &&
          h.body.slack.pendingDeliveries === 0 &&
          logged(r, "Slack delivery works again").length > 0,
        "the alerts to be delivered",
      );
      expect(after.body.slack).toMatchObject({
        ok: true,
        lastError: null,
        pausedUntil: null,
        paused: [],
      });
      expect(logged(r, "Slack delivery works again")).toHaveLength(1);
      // One more pass of the outbox must not post it again.
      const postedAt = r.clock.now();
      await until(() => r.clock.now() > postedAt + 5_000, "five more seconds of the app");
      await r.stop();
      const posted = alertPosts(r).map((m) => Number(m.metadata?.event_payload.alert_id));
      expect(new Set(posted).size, "an alert posted twice").toBe(posted.length);
      expect(posted).toEqual(expect.arrayContaining(raised));
      const titles = alertPosts(r).map((m) => m.text.replace(/ — .*$/, ""));
      expect(titles).toContainEqual(
        expect.stringMatching(/^\[HIGH\] alert \d+: deleteJiraIssue by Person live-1$/),
      );
    },
  );
});

describe("the running app while Slack is out of reach", () => {
  it("turns /healthz and the outbox worker unhealthy once messages have waited 10 minutes", async () => {
    const r = await startFaultyApp({ factor: 100 });
    r.slack.failNext("chat.postMessage", { status: 500 }, 1_000);
    injectDestructiveCall(r, "live-1");
    const early = await readUntil(
      r.health,
      (h) => h.body.slack.lastError !== null,
      "/healthz to show Slack's error",
    );
    // A failure alone heals by itself: not yet the operator's.
    expect(early.status).toBe(200);
    // Waits for Slack's section itself: on a busy machine the poller may be late meanwhile.
    const stalled = await readUntil(
      r.health,
      (h) => h.body.slack.ok === false,
      "/healthz to say delivery is stalled",
      20_000,
    );
    expect(stalled.status).toBe(503);
    expect(stalled.body.slack.problem).toMatch(
      /^Slack messages have waited \d+ minutes and delivery keeps failing \(HTTP 500\): Slack, or a proxy on the way, answers with errors: see status\.slack\.com/,
    );
    expect(stalled.body.slack.outbox.oldestPendingSeconds).toBeGreaterThanOrEqual(600);
    const outbox = stalled.body.workers.find((w) => w.name === "outbox");
    expect(outbox).toMatchObject({ ok: false });
    await r.stop();
  }, 40_000);
});

describe("the running app when Slack refuses a person's message for good", () => {
  it("shows on /healthz what was refused and why, never whom it was for", async () => {
    const r = await startFaultyApp();
    // Alice opens the App Home; Slack refuses her view for good.
    r.slack.failNext("views.publish", { error: "invalid_arguments" });
    const opened = JSON.stringify({
      type: "event_callback",
      team_id: "T0FAULTS",
      api_app_id: "A0FAULTS",
      event_id: "Ev0HOME",
      event_time: 1,
      event: { type: "app_home_opened", user: "U0ALICE", channel: "D0HOME", tab: "home" },
    });
    const url = `http://127.0.0.1:${r.app.port}/slack/events`;
    const answer = await postSigned(url, opened, SECRET, { contentType: "application/json" });
    expect(answer.status).toBe(200);

    const health = await readUntil(
      r.health,
      (h) => h.body.slack.lastPermanentFailure !== null,
      "/healthz to show the refusal",
    );
    expect(health.body.slack.lastPermanentFailure).toEqual({
      kind: "home",
      orgId: null,
      alertId: null,
      reason: "invalid_arguments",
      at: expect.any(String),
    });
    expect(JSON.stringify(health.body)).not.toContain("U0ALICE");
    const metrics = await (await fetch(`http://127.0.0.1:${r.app.port}/metrics`)).text();
    expect(metrics).not.toContain("U0ALICE");
  });
});

describe("the running app when Slack refused a message of an organization no longer watched", () => {
  it("shows on /healthz what was refused, naming neither the organization nor its alert", async () => {
    const r = await startFaultyApp();
    // An alert of an organization watched before ATLASSIAN_ORG_ID changed, refused for good.
    const db = new Database(r.databasePath);
    db.pragma("busy_timeout = 5000");
    db.transaction(() => {
      const id = new OutboxStore(db).enqueue(
        {
          key: "alert:org-dropped:7:post",
          kind: "alert",
          method: "chat.postMessage",
          to: { channel: CHANNEL },
          payload: { text: "an alert" },
          priority: 0,
          orgId: "org-dropped",
          ref: "alert:org-dropped:7",
        },
        r.clock.now(),
      );
      db.prepare(
        "UPDATE outbox SET state = 'failed', failure = 'msg_too_long', settled_at = ? WHERE id = ?",
      ).run(r.clock.now(), id);
    })();
    db.close();

    const health = await r.health();
    expect(health.body.slack.lastPermanentFailure).toEqual({
      kind: "alert",
      orgId: null,
      alertId: null,
      reason: "msg_too_long",
      at: expect.any(String),
    });
    expect(JSON.stringify(health.body)).not.toContain("org-dropped");
  });
});

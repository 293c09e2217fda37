/**
 * Slack's answers that are not what they seem, on the real rig (HTTP to the fake Slack on
 * 127.0.0.1, a real SQLite file, a virtual clock): each alert is shown once, none is lost.
 */
import { describe, expect, it } from "vitest";
import { deliveryProblem, STALLED_MS } from "../../src/slack/outbox/stalled.js";
import { CHANNEL, slackRig } from "./setup.js";

type Rig = Awaited<ReturnType<typeof slackRig>>;

/** Drains until nothing waits (or 40 rounds), a second of virtual time apart. */
async function settle(r: Rig, stepMs = 1_000, rounds = 40): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await r.poster.drain();
    await r.slack.idle();
    if (Object.keys(r.stores.outbox.health().pendingByKind).length === 0) return;
    r.clock.advance(stepMs);
  }
}

/** An App Home view of someone's, queued. */
const queueHomeView = (r: Rig) =>
  r.stores.outbox.enqueue(
    {
      key: "home:UOPS:1",
      kind: "home",
      method: "views.publish",
      to: { user: "UOPS" },
      payload: { text: "home", blocks: [] },
      priority: 5,
    },
    r.clock.now(),
  );

const alertsShown = (r: Rig) =>
  r.slack.messages(CHANNEL).filter((m) => m.text.startsWith("[HIGH]"));

describe("ok:false errors Slack documents as 'some aspect may have succeeded'", () => {
  it.each(["internal_error", "fatal_error"])(
    "%s after Slack stored the post: the alert is shown once",
    async (code) => {
      const r = await slackRig();
      r.raise();
      r.slack.failNext("chat.postMessage", { errorAfter: code });
      await settle(r);
      // Slack kept the first post and answered `code`; the retry must look before posting again.
      expect(alertsShown(r)).toHaveLength(1);
    },
  );
});

describe("a body that is not JSON", () => {
  it("an HTML page answered 200 (a proxy, a captive portal) keeps the alert queued and posts it once Slack answers", async () => {
    const r = await slackRig();
    const id = r.raise();
    r.slack.failNext("chat.postMessage", {
      raw: "<html><body><h1>502 Bad Gateway</h1>proxy.corp.example</body></html>",
    });
    await settle(r);
    expect(alertsShown(r)).toHaveLength(1);
    expect(r.stores.outbox.byRef(`alert:org-1:${id}`, "alert")?.state).toBe("delivered");
    // Counted under a fixed word: the page's text is never a metric's label.
    expect(r.results[0]).toBe("alert not_slack_json");
    expect(r.results.at(-1)).toBe("alert ok");
  });
});

describe("a workspace that cannot take messages for a while", () => {
  it("org_login_required (an enterprise migration: 'not available until migration is complete') keeps the alert queued", async () => {
    const r = await slackRig();
    const id = r.raise();
    r.slack.failNext("chat.postMessage", { error: "org_login_required" });
    await settle(r, 60_000);
    expect(r.stores.outbox.byRef(`alert:org-1:${id}`, "alert")?.state).toBe("delivered");
    expect(alertsShown(r)).toHaveLength(1);
  });
});

describe("a 429 without Retry-After", () => {
  it("is a rate limit: the method is paused for the workspace and nothing is looked up", async () => {
    const r = await slackRig();
    r.raise();
    r.slack.failNext("chat.postMessage", { status: 429, noRetryAfter: true });
    await r.poster.drain();
    await r.slack.idle();
    expect(r.pauses.holding("chat.postMessage")).toBeDefined();
    expect(r.logs.text()).toContain("Slack rate-limited chat.postMessage");
    expect(r.logs.text()).not.toContain(r.slack.url);
    await settle(r, 10_000);
    expect(r.slack.callsTo("conversations.history")).toHaveLength(0);
    expect(alertsShown(r)).toHaveLength(1);
  });
});

describe("a 504 from Slack's gateway while Slack still works on the post", () => {
  it("is looked up only once Slack has surely finished, and the alert is shown once", async () => {
    const r = await slackRig();
    r.raise();
    r.slack.failNext("chat.postMessage", { gatewayStatus: 504, performAfterMs: 1_500 });
    await r.poster.drain(); // answered 504 at once
    r.clock.advance(1_000); // the 1 s backoff: looked up, not found, posted again
    await r.poster.drain();
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // Slack finishes the first
    await settle(r);
    expect(alertsShown(r)).toHaveLength(1);
  });
});

describe("a setup problem of the alert channel", () => {
  it("stays the poster's last error while alerts wait, whatever else gets through", async () => {
    const r = await slackRig();
    r.raise();
    const refuse = (p: { channel?: unknown }) => p.channel === CHANNEL;
    // Refused three times: the bot is invited after the second minute.
    r.slack.failNext("chat.postMessage", { error: "not_in_channel" }, 3, refuse);
    await r.poster.drain();
    expect(r.poster.health().lastError).toMatchObject({ code: "not_in_channel" });

    // Someone opens the app's Home tab: views.publish works (it needs no channel membership).
    queueHomeView(r);
    await r.poster.drain();
    expect(r.slack.callsTo("views.publish")).toHaveLength(1);
    expect(r.stores.outbox.health().pendingByKind.alert).toBe(1);
    expect(r.poster.health().lastError).toMatchObject({
      code: "not_in_channel",
      advice: "invite the bot to the alert channel: /invite @mcp-activity in that channel",
    });
    expect(r.logs.text()).not.toContain("Slack delivery works again");

    // The bot is invited: the alert goes out, and the trouble is over.
    await settle(r, 60_000);
    expect(r.slack.pendingFaults("chat.postMessage")).toBe(0);
    expect(alertsShown(r)).toHaveLength(1);
    expect(r.poster.health().lastError).toBeNull();
    expect(r.logs.text()).toContain("Slack delivery works again");
  });
});

describe("trouble that is over", () => {
  /** Three alerts raised and posted one after another, nothing left waiting. */
  async function threeAlertsLater(r: Rig) {
    for (let i = 0; i < 3; i++) {
      r.raise();
      await settle(r);
    }
    expect(r.stores.outbox.health().pendingByKind).toEqual({});
  }

  it("a look-up that failed once is forgotten once messages get through", async () => {
    const r = await slackRig();
    r.raise();
    r.slack.failNext("chat.postMessage", { status: 500 }); // outcome unknown: looked up first
    r.slack.failNext("conversations.history", { status: 500 });
    await settle(r);
    expect(r.slack.pendingFaults("conversations.history")).toBe(0);
    await threeAlertsLater(r);
    expect(alertsShown(r)).toHaveLength(4);
    expect(r.poster.health().lastError).toBeNull();
    const now = r.clock.now();
    expect(deliveryProblem(r.poster.health().lastError, now - STALLED_MS, now)).toBeNull();
  });

  it("a scope a view lacked ends once Slack refuses a view for another reason, and stays over", async () => {
    const r = await slackRig();
    r.slack.failNext("views.publish", { error: "missing_scope" });
    r.slack.failNext("views.publish", { error: "user_not_found" }); // the person left meanwhile
    queueHomeView(r);
    await r.poster.drain();
    expect(r.poster.health().lastError).toMatchObject({ code: "missing_scope" });
    await settle(r, 60_000);
    expect(r.slack.pendingFaults("views.publish")).toBe(0);
    await threeAlertsLater(r);
    expect(deliveryProblem(r.poster.health().lastError, null, r.clock.now())).toBeNull();
  });
});

describe("delivery stalled for ten minutes", () => {
  /** What /healthz says once the oldest message has waited past STALLED_MS, after `fault`. */
  async function stalledAfter(fault: Parameters<Rig["slack"]["failNext"]>[1]) {
    const r = await slackRig();
    r.raise();
    r.slack.failNext("chat.postMessage", fault);
    await r.poster.drain();
    await r.slack.idle();
    const now = r.clock.now();
    return deliveryProblem(r.poster.health().lastError, now - STALLED_MS - 60_000, now);
  }

  it("by a rate limit, says so, not to check the network: Slack answers", async () => {
    const problem = await stalledAfter({ status: 429, retryAfter: 800 });
    expect(problem).toMatch(
      /^Slack messages have waited 11 minutes and delivery keeps failing \(ratelimited\): Slack is rate-limiting the bot's calls .*SLACK_BOT_TOKEN/,
    );
    expect(problem).not.toContain("reaches Slack");
  });

  it("by errors answered, says Slack or a proxy answers them", async () => {
    const problem = await stalledAfter({ status: 503 });
    expect(problem).toMatch(/\(HTTP 503\): Slack, or a proxy on the way, answers with errors/);
  });

  it("by no answer at all, says to check that this machine reaches Slack", async () => {
    const problem = await stalledAfter({ drop: true });
    expect(problem).toMatch(/: check that this machine reaches Slack \(SLACK_API_URL/);
  });
});

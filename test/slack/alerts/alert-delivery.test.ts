import { describe, expect, it } from "vitest";
import type { Growth } from "../../../src/domain/alert.js";
import { AlertOutbox } from "../../../src/slack/alerts/alert-outbox.js";
import { createPoster } from "../../../src/slack/delivery.js";
import { DeliveryStore } from "../../../src/store/deliveries.js";
import { CHANNEL, slackRig } from "../setup.js";

/**
 * An alert's notification text without its number ("alert 12: ") and what it adds for the lock
 * screen (" — e-mail via tool on site"): its severity and title.
 */
const titleOf = (text: unknown) =>
  String(text)
    .replace(/^(\[[A-Z]+\]) alert \d+: /, "$1 ")
    .replace(/ — [^ ]+@[^ ]+ via .*$/, "");

type Rig = Awaited<ReturnType<typeof slackRig>>;

const posts = (r: Rig) => r.slack.callsTo("chat.postMessage");
const waiting = (r: Rig) =>
  Object.values(r.stores.outbox.health().pendingByKind).reduce((sum, n) => sum + n, 0);
/** Alerts not shown yet: waiting in the outbox, or held back from it (Slack not taking posts). */
const unshown = (r: Rig) => waiting(r) + r.stores.deliveries.backlog("org-1");

/** One more event joins the alert's group, a minute after its first (the engine's way to grow it). */
function grow(r: Rig, id: number, tools?: string[], retitle?: Growth["retitle"]): void {
  const alert = r.alerts.get(id);
  if (!alert) throw new Error("no alert");
  const event = {
    seq: alert.firstEventSeq,
    time: alert.firstSeen + 60_000,
    late: false,
    tools: tools ?? alert.tools,
    severity: alert.severity,
    notify: alert.notify,
    ...(retitle ? { retitle } : {}),
  };
  r.alerts.grow(alert, event, alert.firstSeen);
}

describe("alerts through the outbox", () => {
  it("posts an alert once, with its blocks and metadata, and records where", async () => {
    const r = await slackRig();
    const id = r.raise();
    expect(await r.poster.drain()).toBe(1);
    expect(await r.poster.drain()).toBe(0);
    const [message] = r.slack.messages(CHANNEL);
    expect(r.slack.messages(CHANNEL)).toHaveLength(1);
    expect(message?.metadata).toMatchObject({
      event_type: "mcp_alert",
      event_payload: { alert_id: id, org_id: "org-1", revision: 1 },
    });
    expect(message?.metadata?.event_payload.nonce).toMatch(/^[0-9a-f]{12}$/);
    expect(JSON.stringify(message?.blocks)).toContain("deleteJiraIssue by person 1");
    expect(posts(r)[0]?.params).toMatchObject({ channel: CHANNEL, unfurl_links: "false" });
    expect(posts(r)[0]?.token).toBe("xoxb-test-hunter2");
    expect(new DeliveryStore(r.db).get("org-1", id)).toMatchObject({
      channel: CHANNEL,
      ts: message?.ts,
      revision: 1,
    });
    expect(r.logs.text()).not.toContain("hunter2");
  });

  it("queues alerts a slice at a time when told to stop, each once, and posts them all", async () => {
    const r = await slackRig();
    for (let i = 0; i < 5; i++) r.raise({ title: `alert ${i}` });
    let asked = 0;
    expect(r.alertOutbox.produceSome(() => ++asked >= 2)).toEqual({ changed: 2, more: true });
    expect(waiting(r)).toBe(2);
    expect(r.alertOutbox.produceSome(() => false)).toEqual({ changed: 3, more: false });
    expect(r.alertOutbox.produceSome(() => true)).toEqual({ changed: 0, more: false });
    // The poster queues in slices of its own and posts each alert once.
    r.raise({ title: "alert 5" });
    expect(await r.poster.drain()).toBe(6);
    expect(posts(r)).toHaveLength(6);
  });

  it("posts nothing for alerts that are not to be posted", async () => {
    const r = await slackRig();
    r.raise({ notify: false, severity: "low" });
    r.raise({ notify: false, suppressedBy: "pilot" });
    expect(await r.poster.drain()).toBe(0);
    expect(posts(r)).toHaveLength(0);
  });

  it("posts most severe first, about one message a second", async () => {
    const r = await slackRig();
    r.raise({ severity: "medium", title: "medium one" });
    r.raise({ severity: "high", title: "high one" });
    await r.poster.drain();
    const calls = posts(r);
    expect(calls.map((c) => titleOf(c.params.text))).toEqual([
      "[HIGH] high one",
      "[MEDIUM] medium one",
    ]);
    expect((calls[1]?.at ?? 0) - (calls[0]?.at ?? 0)).toBeGreaterThanOrEqual(1000);
  });

  it("posts the other producers' alerts when one fails, and says why, never as the database's", async () => {
    const r = await slackRig();
    let failing = true;
    const poster = createPoster({
      stores: r.stores,
      client: r.client,
      pauses: r.pauses,
      clock: r.clock,
      logger: r.logs.logger,
      alertChannel: CHANNEL,
      producers: [
        () => {
          if (failing) throw new Error("another organization's alert cannot be rendered");
          return false;
        },
        (enough) => r.alertOutbox.produceSome(enough).more,
      ],
    });
    r.raise();
    expect(await poster.drain()).toBe(1);
    expect(r.slack.messages(CHANNEL)).toHaveLength(1);
    expect(r.logs.text()).toContain("the outbox failed unexpectedly; messages stay queued");
    // A message getting through while the producer still fails ends nothing.
    r.clock.advance(1_000);
    r.raise();
    expect(await poster.drain()).toBe(1);
    expect(poster.health().lastError?.code).toBe("internal");
    // A pass that runs without it ends it, in words that do not blame the database.
    failing = false;
    r.clock.advance(1_000);
    expect(await poster.drain()).toBe(0);
    expect(poster.health().lastError).toBeNull();
    const said = r.logs.lines().map((l) => l.msg);
    expect(said).not.toContain("the outbox reads and writes the database again");
    expect(said.filter((m) => m === "the outbox runs again without failing")).toHaveLength(1);
  });

  it("summarises a burst of 200 high alerts instead of falling behind, after 50 posted alone", async () => {
    const r = await slackRig();
    for (let i = 0; i < 200; i++) r.raise();
    await r.poster.drain();
    const messages = r.slack.messages(CHANNEL);
    const summaries = messages.filter((m) => m.metadata?.event_type === "mcp_alert_summary");
    expect(summaries).toHaveLength(1);
    expect(summaries[0]?.text).toContain("150 more alerts (150 of them high)");
    expect(messages.filter((m) => m.metadata?.event_type === "mcp_alert")).toHaveLength(50);
    const times = posts(r).map((c) => c.at);
    for (let i = 1; i < times.length; i++)
      expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(1000);
    expect(waiting(r)).toBe(0);
    expect(await r.poster.drain()).toBe(0);
    // A summarised alert is never shown again: new findings about that person open a new alert.
    const all = r.alerts.list("org-1");
    const posted = new Set(messages.map((m) => Number(m.metadata?.event_payload.alert_id)));
    const summarised = all.find((a) => !posted.has(a.id));
    const alone = all.find((a) => posted.has(a.id));
    expect(
      r.alerts.findGroup("org-1", summarised?.groupKey ?? "", summarised?.lastSeen ?? 0, 0),
    ).toBeUndefined();
    expect(r.alerts.findGroup("org-1", alone?.groupKey ?? "", alone?.lastSeen ?? 0, 0)?.id).toBe(
      alone?.id,
    );
  });

  it("posts every high alert of a backlog alone, and summarises the medium ones", async () => {
    const r = await slackRig();
    for (let i = 0; i < 55; i++) r.raise({ severity: "medium", ruleId: "mcp-first-use" });
    const high = Array.from({ length: 15 }, () => r.raise({ severity: "high" }));
    await r.poster.drain();
    const messages = r.slack.messages(CHANNEL);
    const alone = messages
      .filter((m) => m.metadata?.event_type === "mcp_alert")
      .map((m) => Number(m.metadata?.event_payload.alert_id));
    expect(alone.sort((a, b) => a - b)).toEqual(high);
    const [summary] = messages.filter((m) => m.metadata?.event_type === "mcp_alert_summary");
    expect(summary?.text).toContain("55 more alerts arrived faster");
  });

  it("posts once a summary recorded before the outbox existed, and never again", async () => {
    const r = await slackRig();
    const counted = [r.raise(), r.raise(), r.raise()];
    r.stores.deliveries.markSummarised("org-1", counted, CHANNEL, r.clock.now() - 60_000);
    await r.poster.drain();
    await r.poster.drain();
    const summaries = r.slack
      .messages(CHANNEL)
      .filter((m) => m.metadata?.event_type === "mcp_alert_summary");
    expect(summaries).toHaveLength(1);
    expect(summaries[0]?.metadata?.event_payload.first_alert_id).toBe(counted[0]);
    for (const id of counted)
      expect(r.stores.deliveries.get("org-1", id)?.ts).toBe(summaries[0]?.ts);
    expect(r.stores.deliveries.firstInFlightSummarised("org-1")).toBeUndefined();
  });

  it("waits out a 429 for the whole workspace, then posts once", async () => {
    const r = await slackRig();
    r.raise();
    r.slack.failNext("chat.postMessage", { status: 429, retryAfter: 3 });
    expect(await r.poster.drain()).toBe(0);
    expect(r.pauses.holding("chat.postMessage")).toEqual({
      method: "chat.postMessage",
      until: r.clock.now() + 3000,
      reason: "ratelimited",
    });
    expect(await r.poster.drain()).toBe(0); // still paused
    expect(r.slack.callsTo("chat.postMessage")).toHaveLength(1);
    r.clock.advance(3000);
    expect(await r.poster.drain()).toBe(1);
    expect(r.slack.messages(CHANNEL)).toHaveLength(1);
    expect(r.poster.health().lastError).toBeNull();
  });

  it("retries a 500 with backoff and posts once", async () => {
    const r = await slackRig();
    r.raise();
    r.slack.failNext("chat.postMessage", { status: 500 }, 2);
    await r.poster.drain();
    r.clock.advance(2000);
    await r.poster.drain();
    r.clock.advance(4000);
    await r.poster.drain();
    expect(r.slack.messages(CHANNEL)).toHaveLength(1);
  });

  it("after a cut between Slack accepting the post and recording it, finds the post instead of posting again", async () => {
    const r = await slackRig();
    const id = r.raise();
    r.slack.failNext("chat.postMessage", { drop: true });
    await r.poster.drain();
    expect(r.slack.messages(CHANNEL)).toHaveLength(1); // Slack has it; we did not hear back
    r.clock.advance(60_000);
    await r.poster.drain();
    expect(r.slack.messages(CHANNEL)).toHaveLength(1);
    expect(r.slack.callsTo("conversations.history")[0]?.params).toMatchObject({
      include_all_metadata: "true",
    });
    expect(new DeliveryStore(r.db).get("org-1", id)?.ts).toBe(r.slack.messages(CHANNEL)[0]?.ts);
    expect(r.logs.text()).toContain("alert message was already posted before a restart");
  });

  it("finds a cut-short post behind the thousands of messages the channel got before the restart", async () => {
    const r = await slackRig();
    r.raise();
    r.slack.failNext("chat.postMessage", { drop: true });
    await r.poster.drain();
    for (let i = 0; i < 2_500; i++)
      r.slack.addMessage(CHANNEL, { user: "UHUMAN", text: `chat ${i}` });
    r.clock.advance(60_000);
    await r.poster.drain();
    expect(r.slack.messages(CHANNEL).filter((m) => m.user === "UBOT")).toHaveLength(1);
    expect(r.logs.text()).toContain("alert message was already posted before a restart");
  }, 60_000); // the history read page by page: seconds on a loaded machine

  it("says a token revoked meanwhile as the setup problem it is when it looks for a cut-short post", async () => {
    const r = await slackRig();
    r.raise();
    r.slack.failNext("chat.postMessage", { drop: true });
    await r.poster.drain();
    r.slack.failNext("auth.test", { error: "token_revoked" });
    r.clock.advance(60_000);
    await r.poster.drain();
    expect(r.poster.health().lastError).toMatchObject({
      code: "token_revoked",
      advice: "the bot token was revoked: reinstall the Slack app and update SLACK_BOT_TOKEN",
    });
    expect(r.slack.messages(CHANNEL)).toHaveLength(1);
  });

  it("does not take a person's messages carrying its metadata for its own posts", async () => {
    const r = await slackRig();
    // Alert ids are sequential and visible in the buttons: a channel member can forge them.
    for (let id = 1; id <= 40; id++)
      r.slack.addMessage(CHANNEL, {
        user: "UMALLORY",
        text: `[HIGH] alert ${id}`,
        metadata: {
          event_type: "mcp_alert",
          event_payload: { alert_id: id, org_id: "org-1", revision: 1 },
        },
      });
    const fresh = r.raise();
    // One tried before the outbox existed, its outcome unknown: looked up by its metadata alone.
    const older = r.raise({ severity: "medium" });
    r.stores.deliveries.markQueued("org-1", older, CHANNEL, 1, r.clock.now() - 60_000);
    r.slack.failNext("chat.postMessage", { status: 500 }, 3);
    for (let i = 0; i < 20 && waiting(r) + r.stores.deliveries.backlog("org-1") > 0; i++) {
      await r.poster.drain();
      r.clock.advance(2_000);
    }
    const mine = r.slack
      .messages(CHANNEL)
      .filter((m) => m.user === "UBOT" && m.metadata?.event_type === "mcp_alert");
    expect(mine.map((m) => m.metadata?.event_payload.alert_id).sort()).toEqual([fresh, older]);
    for (const id of [fresh, older])
      expect(r.stores.deliveries.get("org-1", id)?.ts).toBe(
        mine.find((m) => m.metadata?.event_payload.alert_id === id)?.ts,
      );
    expect(r.logs.text()).not.toContain("already posted before a restart");
  });

  it.each([
    ["not_in_channel", "invite the bot to the alert channel"],
    ["channel_not_found", "check SLACK_ALERT_CHANNEL"],
    ["invalid_auth", "SLACK_BOT_TOKEN is not valid"],
  ])(
    "on %s says what to do, keeps the alerts queued, and delivers once it is fixed",
    async (error, advice) => {
      const r = await slackRig();
      r.raise();
      r.raise();
      r.slack.failNext("chat.postMessage", { error }, 3);
      // A token Slack refuses is refused to every call: the token's check too.
      if (error === "invalid_auth") r.slack.failNext("auth.test", { error }, 3);
      await r.poster.drain();
      r.clock.advance(60_000);
      await r.poster.drain();
      const errors = r.logs.lines().filter((l) => l.level === 50 && String(l.msg).includes(advice));
      expect(errors).toHaveLength(1);
      expect(unshown(r)).toBe(2);
      expect(r.poster.health().lastError).toMatchObject({ code: error });
      expect(r.poster.health().lastError?.advice).toContain(advice);
      r.clock.advance(60_000);
      await r.poster.drain();
      r.clock.advance(60_000);
      await r.poster.drain();
      r.clock.advance(60_000);
      await r.poster.drain();
      expect(r.slack.messages(CHANNEL)).toHaveLength(2);
      expect(unshown(r)).toBe(0);
      expect(r.poster.health().lastError).toBeNull();
    },
  );

  it("updates a posted alert whose group grew, and replies in its thread", async () => {
    const r = await slackRig();
    const id = r.raise();
    await r.poster.drain();
    grow(r, id, ["deleteJiraIssue", "deleteConfluencePage"]);
    r.clock.advance(5_000);
    await r.poster.drain();
    const [posted, reply] = r.slack.messages(CHANNEL);
    expect(posted?.updates).toBe(1);
    expect(JSON.stringify(posted?.blocks)).toContain("deleteJiraIssue, deleteConfluencePage");
    expect(reply?.thread_ts).toBe(posted?.ts);
    expect(reply?.text).toContain("Now 2 events");
    expect(await r.poster.drain()).toBe(0);
  });

  it("updates an alert that grows after the retention pruned its sent post: never posts it twice", async () => {
    const r = await slackRig();
    const id = r.raise();
    await r.poster.drain();
    r.clock.advance(31 * 86_400_000);
    expect(r.stores.outbox.prune(r.clock.now() - 30 * 86_400_000, 200)).toBeGreaterThan(0);
    grow(r, id, ["deleteJiraIssue", "deleteConfluencePage"]);
    await r.poster.drain();
    expect(posts(r).filter((c) => c.params.thread_ts === undefined)).toHaveLength(1);
    const [posted, reply] = r.slack.messages(CHANNEL);
    expect(posted?.updates).toBe(1);
    expect(JSON.stringify(posted?.blocks)).toContain("deleteJiraIssue, deleteConfluencePage");
    expect(reply?.text).toContain("Now 2 events");
  });

  it("shows a larger finding's title once its alert grows to it", async () => {
    const r = await slackRig();
    const id = r.raise({ title: "51 MCP calls by Alice within 10 minutes" });
    await r.poster.drain();
    grow(r, id, undefined, {
      title: "60 MCP calls by Alice within 10 minutes",
      detail: { calls: 60, figure: 60 },
    });
    r.clock.advance(5_000);
    await r.poster.drain();
    const [posted] = r.slack.messages(CHANNEL);
    expect(posted?.updates).toBe(1);
    expect(posted?.text).toContain("60 MCP calls by Alice within 10 minutes");
    expect(JSON.stringify(posted?.blocks)).not.toContain("51 MCP calls");
    expect(r.alerts.get(id)?.detail).toEqual({ calls: 60, figure: 60 });
  });

  it("says the growth of a burst in its thread at most once in 10 minutes, with the count then", async () => {
    const r = await slackRig();
    const id = r.raise();
    await r.poster.drain();
    const replies = () => r.slack.messages(CHANNEL).filter((m) => m.thread_ts !== undefined);
    for (let i = 0; i < 8; i++) {
      grow(r, id);
      r.clock.advance(30_000);
      await r.poster.drain();
    }
    // The first growth is said at once; the seven after it wait for one more reply.
    expect(replies().map((m) => m.text.split(",")[0])).toEqual(["Now 2 events"]);
    // The message itself shows every growth at once.
    expect(JSON.stringify(r.slack.messages(CHANNEL)[0]?.blocks)).toContain("9 between");
    r.clock.advance(10 * 60_000);
    await r.poster.drain();
    expect(replies().map((m) => m.text.split(",")[0])).toEqual(["Now 2 events", "Now 9 events"]);
    expect(await r.poster.drain()).toBe(0);
  });

  it("sends a hostile display name escaped", async () => {
    const r = await slackRig();
    r.raise({ userName: "<!channel> <https://evil.example|Jira>", title: "x by <!channel>" });
    await r.poster.drain();
    const sent = JSON.stringify(posts(r)[0]?.params);
    expect(sent).not.toContain("<!channel>");
    expect(sent).toContain("&lt;!channel&gt; &lt;https:/\u200b/evil.example|Jira&gt;");
  });

  it("sets aside an alert Slack refuses for good, and delivers the others", async () => {
    const r = await slackRig();
    const refused = r.raise({ title: "first" });
    r.raise({ title: "second" });
    // Its message and then its plain form (refused-blocks.test.ts: the plain form usually passes).
    const first = (params: Record<string, unknown>) => String(params.text).includes("first");
    r.slack.failNext("chat.postMessage", { error: "invalid_blocks" }, 2, first);
    await r.poster.drain();
    expect(r.slack.messages(CHANNEL).map((m) => titleOf(m.text))).toEqual(["[HIGH] second"]);
    expect(r.logs.text()).toContain("Slack refused an alert message for good (invalid_blocks)");
    expect(r.stores.deliveries.get("org-1", refused)).toMatchObject({ ts: null });
    expect(r.stores.outbox.health().lastFailure).toMatchObject({
      kind: "alert",
      orgId: "org-1",
      alertId: refused,
      reason: "invalid_blocks",
    });
    r.clock.advance(60_000);
    expect(await r.poster.drain()).toBe(0);
    expect(waiting(r)).toBe(0);
  });

  it("does not let a message deleted in Slack block the outbox when its alert grows", async () => {
    const r = await slackRig();
    const id = r.raise();
    await r.poster.drain();
    grow(r, id);
    r.raise({ title: "next one" });
    r.slack.failNext("chat.update", { error: "message_not_found" });
    r.clock.advance(5_000);
    await r.poster.drain();
    expect(r.slack.messages(CHANNEL).map((m) => titleOf(m.text))).toContain("[HIGH] next one");
    expect(waiting(r)).toBe(0);
  });

  it("after finding a cut-short post, still shows the growth that came meanwhile", async () => {
    const r = await slackRig();
    const id = r.raise();
    r.slack.failNext("chat.postMessage", { drop: true });
    await r.poster.drain();
    grow(r, id);
    r.clock.advance(60_000);
    await r.poster.drain(); // finds the post, recorded at the revision it shows
    r.clock.advance(5_000);
    await r.poster.drain(); // then updates it
    const [posted] = r.slack.messages(CHANNEL);
    expect(posted?.updates).toBe(1);
    expect(JSON.stringify(posted?.blocks)).toContain("*Events*\\n2 between");
  });
});

describe("the channel's budget", () => {
  it("posts at most N alerts an hour, rolls the rest into one message updated in place, always posts high, across a restart", async () => {
    const r = await slackRig({ maxPerHour: 2 });
    const top = () => r.slack.messages(CHANNEL).filter((m) => m.thread_ts === undefined);
    const rollups = () => top().filter((m) => m.metadata?.event_type === "mcp_alert_rollup");
    for (let i = 0; i < 5; i++) r.raise({ severity: "medium", title: `medium ${i}` });
    await r.poster.drain();
    r.raise({ severity: "high", title: "high one" });
    await r.poster.drain();
    expect(top().map((m) => titleOf(m.text))).toEqual([
      "[MEDIUM] medium 0",
      "[MEDIUM] medium 1",
      "3 more alerts this hour, past the channel's 2 an hour",
      "[HIGH] high one",
    ]);
    // A restart within the hour: the same roll-up grows, nothing new is posted alone.
    const restarted = new AlertOutbox({
      outbox: r.stores.outbox,
      deliveries: r.stores.deliveries,
      logger: r.logs.logger,
      orgId: "org-1",
      channel: CHANNEL,
      render: r.render,
      now: () => r.clock.now(),
      maxPerHour: 2,
    });
    r.raise({ severity: "medium", title: "medium 5" });
    restarted.produce();
    await r.poster.drain();
    expect(rollups()).toHaveLength(1);
    expect(rollups()[0]?.text).toBe("4 more alerts this hour, past the channel's 2 an hour");
    expect(rollups()[0]?.updates).toBe(1);
    expect(JSON.stringify(rollups()[0]?.blocks)).toContain("medium · mcp-destructive: 4");
    // The next hour has its own budget.
    r.clock.advance(3_600_000);
    r.raise({ severity: "medium", title: "next hour" });
    await r.poster.drain();
    expect(titleOf(top().at(-1)?.text)).toBe("[MEDIUM] next hour");
    expect(waiting(r)).toBe(0);
  });
});

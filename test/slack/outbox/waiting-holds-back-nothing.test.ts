/**
 * Messages that wait (their method paused by a 429, their lane paced at one a second) hold back
 * nothing ranked after them, however many they are: a message whose method and lane are free
 * goes at once, whatever waits before it.
 */
import { describe, expect, it } from "vitest";
import { PRIORITY } from "../../../src/slack/outbox/priority.js";
import { CHANNEL, slackRig } from "../setup.js";

type Rig = Awaited<ReturnType<typeof slackRig>>;

/** `n` "did you do this?" questions, direct messages ranked before the channel's roll-ups. */
function questions(r: Rig, n: number): void {
  for (let i = 0; i < n; i++) {
    const user = `UPERSON${i}`;
    r.slack.addUser({ id: user, email: `person${i}@example.com` });
    r.stores.outbox.enqueue(
      {
        key: `ask:org-1:${i}`,
        kind: "ask",
        method: "chat.postMessage",
        orgId: "org-1",
        to: { user },
        payload: { text: "Did you do this?" },
        priority: PRIORITY.reply,
      },
      r.clock.now(),
    );
  }
}

/** `n` posted alert messages of the channel, each with an update queued (their group grew). */
function updates(r: Rig, n: number): void {
  for (let i = 0; i < n; i++) {
    const ts = r.slack.addMessage(CHANNEL, { text: `alert ${i}` });
    r.stores.outbox.enqueue(
      {
        key: `alert-update:org-1:${i}`,
        kind: "alert-update",
        method: "chat.update",
        orgId: "org-1",
        to: { channel: CHANNEL, ts },
        payload: { text: `alert ${i}, now 2 events` },
        priority: PRIORITY.update,
      },
      r.clock.now(),
    );
  }
}

const canaryPosted = (r: Rig) =>
  r.slack.callsTo("chat.postMessage").some((c) => JSON.stringify(c.params).includes("Canary"));

describe("what waits in the outbox", () => {
  it("300 questions to people waiting for conversations.open hold back no roll-up", async () => {
    const r = await slackRig({ maxPerHour: 0 });
    questions(r, 300);
    // conversations.open is Tier 3: the first question meets a 429.
    r.slack.failNext("conversations.open", { status: 429, retryAfter: 120 });
    r.raise({ severity: "medium", ruleId: "mcp-first-use" }); // past the hour's budget
    await r.poster.drain();
    const rollup = r.slack
      .messages(CHANNEL)
      .find((m) => m.metadata?.event_type === "mcp_alert_rollup");
    expect(rollup?.text).toBe("1 more alert this hour, past the channel's 0 an hour");
    expect(r.pauses.holding("conversations.open")).toBeDefined();
    expect(r.slack.callsTo("conversations.open")).toHaveLength(1);
    // The pause over, the questions go.
    r.clock.advance(120_000);
    await r.poster.drain();
    expect(r.slack.callsTo("conversations.open")).toHaveLength(301);
  });

  it("250 updates paced in their lane hold back no new alert in the channel", async () => {
    const r = await slackRig();
    updates(r, 250);
    r.raise({ ruleId: "mcp-canary", title: "Canary SEC-1 read by Mallory" });
    await r.poster.drain();
    // One update went (its lane is paced after it), then the alert's post, in its own lane.
    const sent = r.slack.calls.map((c) => c.method).filter((m) => m.startsWith("chat."));
    expect(sent.slice(0, 2)).toEqual(["chat.update", "chat.postMessage"]);
    expect(canaryPosted(r)).toBe(true);
  });

  it("250 updates waiting for chat.update's rate limit hold back no new alert", async () => {
    const r = await slackRig();
    updates(r, 250);
    r.slack.failNext("chat.update", { status: 429, retryAfter: 120 });
    r.raise({ ruleId: "mcp-canary", title: "Canary SEC-1 read by Mallory" });
    await r.poster.drain();
    expect(r.pauses.holding("chat.update")).toBeDefined();
    expect(canaryPosted(r)).toBe(true);
    expect(r.slack.callsTo("chat.update")).toHaveLength(1);
  });
});

import { describe, expect, it } from "vitest";
import { deliveryProblem } from "../../src/slack/outbox/stalled.js";
import { MINUTE } from "../../src/time-units.js";
import { CHANNEL, slackRig } from "./setup.js";

const NOT_IN_CHANNEL = "invite the bot to the alert channel: /invite @mcp-activity in that channel";

/**
 * The look-up at start found the bot is not in the alert channel. An alert then comes and its
 * first try meets a passing 503 from Slack: that must not end the channel's problem, or /healthz
 * answers 503, 200, 503 for a channel that was never fixed and the look-up each minute stops.
 */
describe("a standing alert-channel problem and one passing failure of a post", () => {
  it("keeps /healthz 503 while the bot is still not in the channel", async () => {
    const r = await slackRig();
    r.slack.setChannel(CHANNEL, { is_private: false, is_member: false });
    await r.poster.verify();
    expect(deliveryProblem(r.poster.health().lastError, null, r.clock.now())).toBe(NOT_IN_CHANNEL);

    r.slack.failNext("chat.postMessage", { status: 503 });
    r.slack.failNext("chat.postMessage", { error: "not_in_channel" }, 50);
    r.raise();
    await r.poster.drain();
    const oldest = r.clock.now();
    const health = r.poster.health();
    expect(health.failingSince).toBe(oldest);
    expect(deliveryProblem(health.lastError, oldest, oldest)).toBe(NOT_IN_CHANNEL);
    const seen: Array<string | null> = [];
    for (let i = 0; i < 5; i++) {
      r.clock.advance(MINUTE);
      await r.poster.drain();
      seen.push(deliveryProblem(r.poster.health().lastError, oldest, r.clock.now()));
    }
    expect(seen).toEqual(Array(5).fill(NOT_IN_CHANNEL));
  });

  it("is still looked up each minute through an outage of posts, and ends when the bot is invited", async () => {
    const r = await slackRig();
    r.slack.setChannel(CHANNEL, { is_private: false, is_member: false });
    await r.poster.verify();
    r.slack.failNext("chat.postMessage", { status: 503 }, 50);
    r.raise();
    await r.poster.drain();
    expect(r.poster.health().lastError?.code).toBe("not_in_channel");
    r.slack.setChannel(CHANNEL, { is_private: false, is_member: true });
    r.clock.advance(MINUTE);
    await r.poster.drain();
    expect(r.slack.callsTo("conversations.info")).toHaveLength(2);
    expect(r.poster.health().lastError?.code).not.toBe("not_in_channel");
  });
});

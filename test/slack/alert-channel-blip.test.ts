import { describe, expect, it } from "vitest";
import { deliveryProblem } from "../../src/slack/outbox/stalled.js";
import { MINUTE } from "../../src/time-units.js";
import { CHANNEL, slackRig } from "./setup.js";

const NOT_IN_CHANNEL = "invite the bot to the alert channel: /invite @mcp-activity in that channel";

/**
 * A deploy is when Slack or the network blips (a 503 or a 429 from Slack, a DNS not ready yet).
 * The look-up of the alert channel at start failing then must not leave a channel the bot is not
 * in unseen until the first alert fails, hours later, with /healthz 200 until then.
 */
describe("the alert channel look-up at start, when Slack blips at that moment", () => {
  it.each([
    ["a 503 from Slack", { status: 503 as const }],
    ["a rate limit (429)", { status: 429 as const, retryAfter: 1 }],
    ["a gateway timeout (504)", { status: 504 as const }],
  ])(
    "after %s on conversations.info, is made again and finds the bot not in the channel",
    async (_label, fault) => {
      const r = await slackRig();
      r.slack.setChannel(CHANNEL, { is_private: false, is_member: false });
      r.slack.failNext("conversations.info", fault);
      expect(await r.poster.verify()).toBe(true);
      expect(r.poster.health().lastError).toBeNull();
      // Nothing is queued; the poster drains as it does, a minute on.
      await r.poster.drain();
      expect(r.slack.callsTo("conversations.info")).toHaveLength(1);
      r.clock.advance(MINUTE);
      await r.poster.drain();
      expect(r.slack.callsTo("conversations.info")).toHaveLength(2);
      const { lastError } = r.poster.health();
      expect(deliveryProblem(lastError, null, r.clock.now())).toBe(NOT_IN_CHANNEL);
    },
  );

  it("after a 429, not before its wait is over", async () => {
    const r = await slackRig();
    r.slack.failNext("conversations.info", { status: 429, retryAfter: 150 });
    await r.poster.verify();
    r.clock.advance(2 * MINUTE);
    await r.poster.drain();
    expect(r.slack.callsTo("conversations.info")).toHaveLength(1);
    r.clock.advance(MINUTE);
    await r.poster.drain();
    expect(r.slack.callsTo("conversations.info")).toHaveLength(2);
  });

  it("after auth.test failed at start, is made once the token check succeeds", async () => {
    const r = await slackRig();
    r.slack.setChannel(CHANNEL, { is_private: false, is_member: false });
    r.slack.failNext("auth.test", { status: 503 });
    expect(await r.poster.verify()).toBe(false);
    expect(r.slack.callsTo("conversations.info")).toHaveLength(0);
    r.clock.advance(MINUTE);
    await r.poster.drain();
    expect(r.slack.callsTo("auth.test")).toHaveLength(2);
    expect(r.slack.callsTo("conversations.info")).toHaveLength(1);
    expect(r.poster.health().lastError?.code).toBe("not_in_channel");
  });

  it("once answered fit to post to, is not made again", async () => {
    const r = await slackRig();
    r.slack.failNext("conversations.info", { status: 503 });
    await r.poster.verify();
    for (let i = 0; i < 5; i++) {
      r.clock.advance(MINUTE);
      await r.poster.drain();
    }
    expect(r.slack.callsTo("conversations.info")).toHaveLength(2);
    expect(r.poster.health().lastError).toBeNull();
  });
});

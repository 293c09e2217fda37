/**
 * Slack's "slow down": a 429's `ratelimited`, and chat.postMessage's `rate_limited` ("Application
 * has posted too many messages"), which comes as `ok:false`. Either keeps the message and holds
 * the method; without Retry-After, for as long as a 429 without one.
 */
import { describe, expect, it } from "vitest";
import type { SlackFault } from "../../fakes/slack-api.js";
import { CHANNEL, slackRig } from "../setup.js";

const isPosted = (r: Awaited<ReturnType<typeof slackRig>>, id: number) =>
  r.slack
    .messages(CHANNEL)
    .some((m) => m.metadata?.event_payload.alert_id === id && m.thread_ts === undefined);

describe("an alert Slack asks to slow down for", () => {
  it("is posted later when Slack answers `rate_limited`, not failed for good", async () => {
    const r = await slackRig();
    const id = r.raise({ severity: "high" });
    r.slack.failNext("chat.postMessage", { error: "rate_limited" });
    await r.poster.drain();
    expect(isPosted(r, id)).toBe(false);
    expect(r.pauses.holding("chat.postMessage")).toBeDefined();
    r.clock.advance(60_000);
    await r.poster.drain();
    expect(isPosted(r, id)).toBe(true);
    expect(r.logs.text()).not.toContain("for good");
  });

  const WITHOUT_RETRY_AFTER: Array<[string, SlackFault]> = [
    ["a 429", { status: 429, noRetryAfter: true }],
    ["ok:false ratelimited", { error: "ratelimited" }],
    ["ok:false rate_limited", { error: "rate_limited" }],
  ];

  it.each(WITHOUT_RETRY_AFTER)(
    "%s without Retry-After holds chat.postMessage a minute, not a second",
    async (_label, fault) => {
      const r = await slackRig();
      const id = r.raise({ severity: "high" });
      r.slack.failNext("chat.postMessage", fault);
      await r.poster.drain();
      const limited = r.slack.callsTo("chat.postMessage").length;
      expect(r.pauses.holding("chat.postMessage")?.until).toBe(r.clock.now() + 60_000);
      r.clock.advance(59_000);
      await r.poster.drain();
      expect(r.slack.callsTo("chat.postMessage")).toHaveLength(limited);
      r.clock.advance(1_000);
      await r.poster.drain();
      expect(isPosted(r, id)).toBe(true);
    },
  );
});

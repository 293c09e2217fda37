import { describe, expect, it } from "vitest";
import { MINUTE } from "../../src/time-units.js";
import { minutes, NEW_CHANNEL, type Rig, restartedOn, toOld } from "./channel-move-rig.js";
import { CHANNEL, slackRig } from "./setup.js";

const alertIds = (r: Rig, channel: string) =>
  r.slack.messages(channel).flatMap((m) => {
    const id = m.metadata?.event_payload.alert_id;
    return typeof id === "number" ? [id] : [];
  });

/**
 * One Slack hiccup (a 503 or a 500: the post may have gone through) before the alert channel
 * was archived: the alert is looked up there, not found, and refused with is_archived every minute
 * after. It never reached the old channel, so when the operator follows the advice and sets
 * SLACK_ALERT_CHANNEL to another channel, it is posted there, not failed for good.
 */
describe("an alert once met by a Slack hiccup, then refused by the archived alert channel", () => {
  it.each([
    ["a 503", { status: 503 }],
    ["a 500", { status: 500 }],
  ] as const)(
    "after %s, is posted to the new channel once SLACK_ALERT_CHANNEL is changed",
    async (_label, hiccup) => {
      const r = await slackRig();
      r.slack.failNext("chat.postMessage", hiccup, 1, toOld);
      r.slack.failNext("chat.postMessage", { error: "is_archived" }, 1000, toOld);
      const id = r.raise({ severity: "high" });
      await minutes(r.poster, r, 3);
      expect(r.poster.health().lastError?.code).toBe("is_archived");
      expect(r.slack.callsTo("conversations.history")).toHaveLength(1);
      expect(r.slack.messages(CHANNEL)).toHaveLength(0);

      const poster = restartedOn(r, NEW_CHANNEL);
      await poster.verify();
      await minutes(poster, r, 3);
      expect(alertIds(r, NEW_CHANNEL)).toEqual([id]);
      expect(r.stores.outbox.health().lastFailure).toBeNull();
      expect(r.logs.lines().filter((l) => l.from === CHANNEL)).toMatchObject([
        { to: NEW_CHANNEL, posts: 1 },
      ]);
    },
  );
});

/**
 * While the channel takes no post, what waits is taken back out of the outbox but the most
 * urgent post: an alert met by a 503 and then refused after its look-up found nothing never
 * reached Slack, so it waits with the others instead of being looked up every minute.
 */
describe("an alert once met by a 503, then refused, while the channel takes no post", () => {
  it("is held back with the others behind the most urgent post", async () => {
    const r = await slackRig();
    r.slack.failNext("chat.postMessage", { status: 503 }, 1, toOld);
    r.slack.failNext("chat.postMessage", { error: "is_archived" }, 1000, toOld);
    const medium = r.raise({ severity: "medium" });
    await r.poster.drain();
    r.clock.advance(MINUTE / 2);
    await r.poster.drain();
    expect(r.poster.health().lastError?.code).toBe("is_archived");
    // A more urgent alert, queued before the channel has failed for a minute.
    r.raise({ severity: "high" });
    await r.poster.drain();
    r.clock.advance(MINUTE / 2 + 1_000);
    await r.poster.drain();
    expect(r.stores.outbox.waitingFor("org-1")).toBe(1);
    expect(r.stores.deliveries.backlog("org-1")).toBe(1);
    expect(r.stores.deliveries.pending("org-1", 10).map((p) => p.alert.id)).toEqual([medium]);
    expect(r.slack.callsTo("conversations.history")).toHaveLength(1);
  });
});

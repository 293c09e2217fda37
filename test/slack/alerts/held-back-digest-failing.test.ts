/**
 * The day's digest post fails on its own (a gateway answering 503 to that large body; Slack takes
 * every other post): alerts are not held back for it. A high alert raised meanwhile is queued at
 * once and posted within the minute its channel waits after the digest's last failure, not after
 * the digest's own backoff (up to 15 minutes).
 * The outbox and the fake Slack Web API on 127.0.0.1, a real SQLite file, a virtual clock.
 */
import { describe, expect, it } from "vitest";
import { PRIORITY } from "../../../src/slack/outbox/priority.js";
import { MINUTE } from "../../../src/time-units.js";
import { CHANNEL, slackRig } from "../setup.js";

describe("a digest post failing on its own", () => {
  it("holds no alert back", async () => {
    const r = await slackRig();
    r.slack.failNext("chat.postMessage", { status: 503 }, 1_000_000, (p) =>
      String((p as { text?: unknown }).text ?? "").includes("Daily digest"),
    );
    r.stores.outbox.enqueue(
      {
        key: "digest:review",
        kind: "digest",
        method: "chat.postMessage",
        orgId: "org-1",
        ref: "digest:review",
        to: { channel: CHANNEL },
        payload: { text: "Daily digest" },
        priority: PRIORITY.digest,
      },
      r.clock.now(),
    );
    // Half an hour of the digest failing: its backoff grows.
    for (let i = 0; i < 60; i++) {
      await r.poster.drain();
      r.clock.advance(MINUTE / 2);
    }
    await r.poster.drain();
    const raisedAt = r.clock.now();
    r.raise({ title: "deleteJiraIssue by the urgent person", createdAt: raisedAt });
    await r.poster.drain();
    expect(r.stores.deliveries.backlog("org-1"), "alerts held back").toBe(0);
    let postedAt: number | undefined;
    for (let i = 0; i < 120 && postedAt === undefined; i++) {
      await r.poster.drain();
      if (r.slack.messages(CHANNEL).some((m) => m.text.includes("urgent person")))
        postedAt = r.clock.now();
      else r.clock.advance(10_000);
    }
    const waited = postedAt === undefined ? Number.POSITIVE_INFINITY : postedAt - raisedAt;
    expect(waited / 1000, "seconds before the high alert was posted").toBeLessThanOrEqual(70);
  }, 120_000);
});

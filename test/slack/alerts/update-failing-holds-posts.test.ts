/**
 * Slack takes the alert channel's posts, but an update of one message keeps failing (an edit
 * outage, a message Slack cannot edit for now): new alerts must still be posted. The outbox and the
 * fake Slack Web API on 127.0.0.1, a real SQLite file, a virtual clock.
 */
import { describe, expect, it } from "vitest";
import { MINUTE } from "../../../src/time-units.js";
import { normalizedEvent } from "../../detect/fixtures.js";
import { CHANNEL, slackRig } from "../setup.js";

describe("an alert's update failing while the channel takes posts", () => {
  it("holds no new alert back: only posts that Slack does not take hold alerts back", async () => {
    const r = await slackRig();
    const first = r.raise({ title: "deleteJiraIssue by the first person" });
    await r.poster.drain();
    const posted = r.slack.messages(CHANNEL).find((m) => m.text.includes("first person"));
    expect(posted).toBeDefined();
    // Its group grows; the update of that one message fails (HTTP 500) from now on. Every other
    // call, chat.postMessage included, works.
    r.slack.failNext("chat.update", { status: 500 }, 100_000, (p) => p.ts === posted?.ts);
    const base = normalizedEvent();
    r.stores.events.insertMany([{ ...base, id: "ev-grew" }], r.clock.now());
    const seq = r.stores.events.maxSeq("org-1");
    const growth = { seq, time: r.clock.now(), late: false, tools: ["deleteJiraIssue"] };
    r.stores.alerts.grow(
      { id: first, orgId: "org-1" },
      { ...growth, severity: "high", notify: true },
      r.clock.now(),
    );
    for (let i = 0; i < 3; i++) {
      await r.poster.drain();
      r.clock.advance(MINUTE);
    }
    // Chat.postMessage works all along: a new high alert is raised.
    const second = r.raise({
      title: "deleteJiraIssue by the second person",
      createdAt: r.clock.now(),
    });
    // An hour later.
    for (let i = 0; i < 30; i++) {
      await r.poster.drain();
      r.clock.advance(2 * MINUTE);
    }
    const top = r.slack.messages(CHANNEL).filter((m) => m.thread_ts === undefined);
    expect(
      top.map((m) => m.text).filter((t) => t.includes("second person")),
      `alert ${second} posted while its channel took posts (pending: ${JSON.stringify(r.stores.outbox.health().pendingByKind)})`,
    ).toHaveLength(1);
  }, 60_000);
});

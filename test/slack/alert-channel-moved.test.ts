import { describe, expect, it } from "vitest";
import { buildDigest } from "../../src/digest/build.js";
import { queueDigest } from "../../src/slack/digest-outbox.js";
import { queueUnreadNotice } from "../../src/slack/digest-unread.js";
import { DAY } from "../../src/time-units.js";
import { digestData } from "../digest/fixtures.js";
import { minutes, NEW_CHANNEL, type Rig, restartedOn, toOld } from "./channel-move-rig.js";
import { CHANNEL, slackRig } from "./setup.js";
import { queueLongDigest } from "./waiting-digest.js";

const movedLines = (r: Rig) => r.logs.lines().filter((l) => l.from === CHANNEL);

/**
 * The alert channel is archived (or SLACK_ALERT_CHANNEL mistyped): the bot says "unarchive it or
 * set SLACK_ALERT_CHANNEL to another" and keeps the alerts queued. The operator takes the second
 * way out and restarts the bot on a new channel. What waited must then be posted there, once: none
 * of it may be failed for good by the old channel's refusal.
 */
describe("messages waiting for the alert channel when SLACK_ALERT_CHANNEL is changed", () => {
  it.each([
    ["is_archived", "set SLACK_ALERT_CHANNEL to another"],
    // A mistyped channel id: "check SLACK_ALERT_CHANNEL … and invite the bot there".
    ["channel_not_found", "check SLACK_ALERT_CHANNEL"],
  ])("on %s, every alert is posted to the new channel after the restart", async (error, advice) => {
    const r = await slackRig();
    r.slack.failNext("chat.postMessage", { error }, 1000, toOld);
    // The most severe keeps trying while the other is held back out of the outbox.
    const high = r.raise({ severity: "high" });
    const medium = r.raise({ severity: "medium" });
    await minutes(r.poster, r, 4);
    expect(r.poster.health().lastError?.advice).toContain(advice);
    expect(r.slack.messages(CHANNEL)).toHaveLength(0);

    const poster = restartedOn(r, NEW_CHANNEL);
    await poster.verify();
    await minutes(poster, r, 4);
    const shown = r.slack.messages(NEW_CHANNEL).flatMap((m) => {
      const id = m.metadata?.event_payload.alert_id;
      return typeof id === "number" ? [id] : [];
    });
    expect(shown.sort()).toEqual([high, medium].sort());
    expect(r.stores.outbox.health().lastFailure).toBeNull();
    expect(movedLines(r).map((l) => [l.to, l.posts])).toEqual([[NEW_CHANNEL, 1]]);
  });

  it("posts a summary waiting for the old channel to the new one, where its alerts then link", async () => {
    // A backlog larger than a minute of posting: the high alert alone, the others in a summary.
    const r = await slackRig({ perMinute: 2, keepIndividually: 1 });
    r.slack.failNext("chat.postMessage", { error: "is_archived" }, 1000, toOld);
    r.raise({ severity: "high" });
    const summarised = [r.raise({ severity: "medium" }), r.raise({ severity: "medium" })];
    // Moved before a minute of failing holds the alerts back: both posts still wait.
    await r.poster.drain();

    const poster = restartedOn(r, NEW_CHANNEL);
    await poster.verify();
    await minutes(poster, r, 3);
    const posted = r.slack.messages(NEW_CHANNEL);
    expect(posted).toHaveLength(2);
    const summary = posted.find((m) => m.metadata?.event_payload.alert_id === undefined);
    for (const id of summarised)
      expect(r.stores.deliveries.get("org-1", id)).toMatchObject({
        channel: NEW_CHANNEL,
        ts: summary?.ts,
      });
    expect(r.stores.outbox.health().lastFailure).toBeNull();
  });

  it("posts a digest (its continuation and chart in its thread) and a notice to the new channel", async () => {
    const r = await slackRig();
    r.slack.failNext("chat.postMessage", { error: "is_archived" }, 1000, toOld);
    const replies = queueLongDigest(r, CHANNEL);
    queueUnreadNotice(
      r.stores.outbox,
      { orgId: "org-1", channel: CHANNEL, organization: undefined },
      { kind: "daily", end: r.clock.now(), lastError: "HTTP 401", partly: false },
      r.clock.now(),
    );
    await minutes(r.poster, r, 3);
    expect(r.slack.messages(CHANNEL)).toHaveLength(0);

    const poster = restartedOn(r, NEW_CHANNEL);
    await poster.verify();
    await minutes(poster, r, 4);
    const posted = r.slack.messages(NEW_CHANNEL);
    const parent = posted.find((m) => m.metadata?.event_type === "mcp_digest");
    const thread = posted.filter((m) => parent && m.thread_ts === parent.ts);
    expect(thread.filter((m) => !m.files)).toHaveLength(replies);
    expect(thread.filter((m) => m.files)).toHaveLength(1);
    expect(posted.filter((m) => m.text.includes("cannot be made"))).toHaveLength(1);
    expect(posted).toHaveLength(1 + replies + 1 + 1);
    expect(r.stores.digests.pending("org-1")).toEqual([]);
    expect(r.stores.outbox.health().lastFailure).toBeNull();
    expect(movedLines(r).map((l) => [l.to, l.posts])).toEqual([[NEW_CHANNEL, 2]]);
  });

  it("leaves a digest asked for with digest --post to another channel where it was asked for", async () => {
    const r = await slackRig();
    // A shell's `digest --post` with its own SLACK_ALERT_CHANNEL, Slack out of reach meanwhile:
    // queued for that channel, for the bot to post once it can.
    const now = r.clock.now();
    r.stores.digests.create("org-1", "on-demand", now - DAY, now, false, shortDigest(), null, now);
    const asked = r.stores.digests.byPeriod("org-1", "on-demand", now);
    if (!asked) throw new Error("no digest");
    queueDigest(r.stores.outbox, asked, ASKED_CHANNEL, now);

    const poster = restartedOn(r, NEW_CHANNEL);
    await poster.verify();
    await minutes(poster, r, 2);
    expect(r.slack.messages(ASKED_CHANNEL).map((m) => m.metadata?.event_type)).toEqual([
      "mcp_digest",
    ]);
    expect(r.slack.messages(NEW_CHANNEL)).toHaveLength(0);
    expect(movedLines(r)).toEqual([]);
    expect(r.logs.lines().filter((l) => l.from === ASKED_CHANNEL)).toEqual([]);
  });
});

const ASKED_CHANNEL = "C0ASKED01";

const shortDigest = () => buildDigest(digestData(), { kind: "on-demand", late: false });

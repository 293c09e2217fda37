/**
 * A digest Slack refused for good is settled: once the outbox forgets the failed message (after
 * 30 days), a later start does not queue it again and post a month-old digest to the channel.
 * The outbox and the fake Slack Web API on 127.0.0.1, a real SQLite file, a virtual clock.
 */
import { describe, expect, it } from "vitest";
import { buildDigest } from "../../src/digest/build.js";
import { queueDigest, requeueDigests } from "../../src/slack/digest-outbox.js";
import { DAY } from "../../src/time-units.js";
import { CHANNEL, slackRig } from "../slack/setup.js";
import { digestData } from "./fixtures.js";

describe("a digest Slack refused for good", () => {
  it("is not posted by a start a month later, once the outbox forgot it", async () => {
    const r = await slackRig();
    const now = r.clock.now();
    const message = buildDigest(digestData(), { kind: "daily", late: false });
    r.stores.digests.create("org-1", "daily", now - DAY, now, false, message, null, now);
    const record = r.stores.digests.byPeriod("org-1", "daily", now);
    if (!record) throw new Error("the digest was not recorded");
    queueDigest(r.stores.outbox, record, CHANNEL, now);
    r.slack.failNext("chat.postMessage", { error: "msg_blocks_too_long" });
    await r.poster.drain();
    expect(r.slack.messages(CHANNEL)).toHaveLength(0);
    expect(r.stores.digests.pending("org-1")).toEqual([]);

    // 31 days on, retention forgets settled outbox rows older than 30 days; the bot starts again.
    r.clock.advance(31 * DAY);
    r.stores.outbox.prune(r.clock.now() - 30 * DAY, 200);
    expect(r.stores.outbox.has(`digest:${record.id}`)).toBe(false);
    requeueDigests(r.stores.outbox, r.stores.digests, "org-1", CHANNEL, r.clock.now());
    await r.poster.drain();
    expect(r.slack.messages(CHANNEL)).toHaveLength(0);
  }, 30_000);

  it("while one never tried (recorded before the outbox existed) is still queued at start", async () => {
    const r = await slackRig();
    const now = r.clock.now();
    const message = buildDigest(digestData(), { kind: "daily", late: false });
    r.stores.digests.create("org-1", "daily", now - DAY, now, false, message, null, now);
    requeueDigests(r.stores.outbox, r.stores.digests, "org-1", CHANNEL, now);
    await r.poster.drain();
    expect(r.slack.messages(CHANNEL).map((m) => m.text)).toEqual([message.text]);
    expect(r.stores.digests.pending("org-1")).toEqual([]);
  }, 30_000);
});

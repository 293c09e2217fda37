import { describe, expect, it } from "vitest";
import { buildDigest } from "../../src/digest/build.js";
import { queueDigest } from "../../src/slack/digest-outbox.js";
import { DigestRecordStore } from "../../src/store/digests.js";
import { CHANNEL, slackRig } from "../slack/setup.js";
import { DAY, digestData, T } from "./fixtures.js";

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

async function withDigest(options: { long?: boolean } = {}) {
  const r = await slackRig();
  const data = options.long
    ? digestData({
        settingsChanges: Array.from({ length: 60 }, (_, i) => ({
          title: `${"Ω".repeat(150)} ${i}`,
        })),
        appAuthorizations: Array.from({ length: 60 }, (_, i) => ({
          title: `${"Ψ".repeat(150)} ${i}`,
        })),
      })
    : digestData();
  const message = buildDigest(data, { kind: "daily", late: false });
  const records = new DigestRecordStore(r.db);
  records.create("org-1", "daily", T - DAY, T, false, message, PNG, T);
  const digest = records.byPeriod("org-1", "daily", T);
  if (!digest) throw new Error("no digest");
  queueDigest(r.stores.outbox, digest, CHANNEL, r.clock.now());
  return { ...r, records, message };
}

describe("posting the digest through the fake Slack Web API", () => {
  it("posts the message once, then the chart in its thread", async () => {
    const r = await withDigest();
    await r.poster.drain();
    await r.poster.drain();
    const [parent, ...thread] = r.slack.messages(CHANNEL);
    const messages = [parent];
    expect(parent?.thread_ts).toBeUndefined();
    expect(thread.map((m) => [m.thread_ts, m.files?.map((f) => f.title)])).toEqual([
      [parent?.ts, [expect.stringMatching(/^MCP calls by tool class · #\d+$/)]],
    ]);
    expect(messages[0]?.metadata).toMatchObject({
      event_type: "mcp_digest",
      event_payload: { org_id: "org-1", period_end: T },
    });
    expect(r.slack.uploads).toHaveLength(1);
    expect(r.slack.uploads[0]?.bytes.equals(PNG)).toBe(true);
    expect(r.slack.uploads[0]).toMatchObject({
      completed: true,
      channel_id: CHANNEL,
      thread_ts: messages[0]?.ts,
    });
    expect(r.records.pending("org-1")).toEqual([]);
  });

  it("still posts the text when the chart upload fails", async () => {
    const r = await withDigest();
    r.slack.failNext("files.getUploadURLExternal", { error: "not_allowed_token_type" });
    await r.poster.drain();
    expect(r.slack.messages(CHANNEL)).toHaveLength(1);
    expect(r.slack.uploads.filter((u) => u.completed)).toHaveLength(0);
    expect(r.records.pending("org-1")).toEqual([]);
    expect(r.logs.text()).toContain(
      "Slack refused a digest-chart message for good (not_allowed_token_type)",
    );
  });

  it("splits a long digest into a parent and thread replies", async () => {
    const r = await withDigest({ long: true });
    expect(r.message.replies.length).toBeGreaterThan(0);
    await r.poster.drain();
    const [parent, ...thread] = r.slack.messages(CHANNEL);
    const replies = thread.filter((m) => m.files === undefined);
    expect(replies).toHaveLength(r.message.replies.length);
    for (const reply of replies) expect(reply.thread_ts).toBe(parent?.ts);
  });

  it("after a cut between Slack accepting the post and recording it, does not post it twice", async () => {
    const r = await withDigest();
    r.slack.failNext("chat.postMessage", { drop: true });
    await r.poster.drain();
    r.clock.advance(60_000);
    await r.poster.drain();
    expect(
      r.slack.messages(CHANNEL).filter((m) => m.metadata?.event_type === "mcp_digest"),
    ).toHaveLength(1);
    expect(r.records.pending("org-1")).toEqual([]);
  });
});

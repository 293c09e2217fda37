import { describe, expect, it } from "vitest";
import { CHANNEL, slackRig } from "../setup.js";
import { growRetitled } from "./growth.js";

const SECOND = 1_000;
type Rig = Awaited<ReturnType<typeof slackRig>>;

const rollup = (r: Rig) =>
  r.slack
    .messages(CHANNEL)
    .find((m) => m.thread_ts === undefined && m.metadata?.event_type === "mcp_alert_rollup");

/**
 * An update of a message that failed is tried again with backoff; past a few failures its wait
 * outlasts the channel's hold, and a newer update of the message queued meanwhile is tried first.
 * The older one must not then put back in Slack what the newer one replaced.
 */
describe("the roll-up updated again while an older update is backing off", () => {
  it("shows the newest update once both are sent", async () => {
    const r = await slackRig({ maxPerHour: 1 });
    r.raise({ severity: "medium", title: "first" });
    const id = r.raise({ severity: "medium", title: "3 calls in an hour" });
    await r.poster.drain();
    expect(rollup(r)).toBeDefined();

    // Its update fails seven times: its backoff (64 s) outlasts the channel's hold (60 s).
    r.slack.failNext("chat.update", { status: 500 }, 7);
    growRetitled(r, id, "medium", "900 calls in an hour");
    for (let i = 0; i < 20 && r.slack.callsTo("chat.update").length < 7; i++) {
      await r.poster.drain();
      r.clock.advance(32 * SECOND);
    }
    expect(r.slack.callsTo("chat.update")).toHaveLength(7);

    growRetitled(r, id, "medium", "1200 calls in an hour");
    for (let i = 0; i < 10; i++) {
      await r.poster.drain();
      r.clock.advance(10 * SECOND);
    }
    expect(r.stores.outbox.health().pendingByKind).not.toHaveProperty("rollup-update");
    // The older update is not sent after the newer one: eight calls, the last the newest.
    expect(r.slack.callsTo("chat.update")).toHaveLength(8);
    const shown = JSON.stringify(rollup(r)?.blocks);
    expect(shown).toContain("1200 calls in an hour");
    expect(shown).not.toContain("900 calls in an hour");
  });
});

describe("an alert updated again while an older update is backing off", () => {
  it("shows the alert as it is now once both are sent", async () => {
    const r = await slackRig();
    const id = r.raise({ severity: "high", title: "first title" });
    await r.poster.drain();

    r.slack.failNext("chat.update", { status: 500 }, 7);
    growRetitled(r, id, "high", "second title");
    for (let i = 0; i < 20 && r.slack.callsTo("chat.update").length < 7; i++) {
      await r.poster.drain();
      r.clock.advance(32 * SECOND);
    }
    expect(r.slack.callsTo("chat.update")).toHaveLength(7);

    growRetitled(r, id, "high", "third title");
    for (let i = 0; i < 10; i++) {
      await r.poster.drain();
      r.clock.advance(10 * SECOND);
    }
    expect(r.stores.outbox.health().pendingByKind).not.toHaveProperty("alert-update");
    expect(r.slack.callsTo("chat.update")).toHaveLength(8);
    const alone = r.slack
      .messages(CHANNEL)
      .filter((m) => m.thread_ts === undefined && m.metadata?.event_payload.alert_id === id);
    expect(alone.map((m) => m.text)).toEqual([expect.stringContaining("third title")]);
  });
});

/**
 * One alert's post keeps failing on its own (the channel takes every other post), then Slack goes
 * out for the night: the outage must still hold alerts back (docs/rules.md, Delivery), not be
 * hidden by the posts that went through before it began.
 * The outbox and the fake Slack Web API on 127.0.0.1, a real SQLite file, a virtual clock.
 */
import { describe, expect, it } from "vitest";
import { PRIORITY } from "../../../src/slack/outbox/priority.js";
import { MINUTE } from "../../../src/time-units.js";
import { CHANNEL, slackRig } from "../setup.js";
import { alertsEachHour, catchUp } from "./outage-rig.js";

describe("a post failing on its own, then the channel taking no post for eight hours", () => {
  it("holds alerts back during the outage and catches up with one summary", async () => {
    const r = await slackRig();
    let down = false;
    r.slack.failNext(
      "chat.postMessage",
      { status: 500 },
      1_000_000,
      (p) => down || String((p as { text?: unknown }).text ?? "").includes("the stuck person"),
    );
    // One message's own failure: the day's digest fails (HTTP 500 for that message alone), every
    // other post goes through between its retries.
    r.stores.outbox.enqueue(
      {
        key: "digest:review-stuck",
        kind: "digest",
        method: "chat.postMessage",
        orgId: "org-1",
        ref: "digest:review-stuck",
        to: { channel: CHANNEL },
        payload: { text: "Daily digest of the stuck person" },
        priority: PRIORITY.digest,
      },
      r.clock.now(),
    );
    await r.poster.drain();
    for (let i = 0; i < 6; i++) {
      r.raise({
        severity: "medium",
        ruleId: "mcp-first-use",
        groupKey: `mcp-first-use|acc-before-${i}`,
        title: `First MCP call by early person ${i}`,
        createdAt: r.clock.now(),
      });
      await r.poster.drain();
      r.clock.advance(MINUTE);
    }
    if (process.env.SHOW)
      console.log(
        r.slack.calls
          .map(
            (c) =>
              `${c.method} ${c.at} ${c.fault ? "F" : ""} ${String(c.params.text ?? "").slice(0, 50)}`,
          )
          .join("\n"),
        r.db
          .prepare("SELECT id, kind, state, attempts, next_attempt_at, last_error FROM outbox")
          .all(),
      );
    const before = r.slack.messages(CHANNEL).filter((m) => m.thread_ts === undefined).length;
    expect(before).toBe(6);
    // Then Slack is out of reach for eight hours, 12 medium alerts an hour.
    down = true;
    await alertsEachHour(r, { hours: 8, perHour: 12 });
    down = false;
    await catchUp(r);
    const top = r.slack
      .messages(CHANNEL)
      .filter((m) => m.thread_ts === undefined)
      .slice(before);
    const alone = top.filter((m) => m.metadata?.event_type === "mcp_alert");
    const summaries = top.filter((m) => m.metadata?.event_type === "mcp_alert_summary");
    // As when no post failed before the outage (test/slack/alerts/slack-outage-backlog.test.ts).
    expect(
      alone.length,
      `${top.length} messages posted once Slack was back (${summaries.length} summaries)`,
    ).toBeLessThanOrEqual(13);
    expect(summaries).toHaveLength(1);
  }, 120_000);
});

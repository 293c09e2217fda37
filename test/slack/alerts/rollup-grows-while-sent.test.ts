import { describe, expect, it } from "vitest";
import { CHANNEL, slackRig } from "../setup.js";
import { growRetitled } from "./growth.js";

const MIN = 60_000;
type Rig = Awaited<ReturnType<typeof slackRig>>;

const top = (r: Rig) => r.slack.messages(CHANNEL).filter((m) => m.thread_ts === undefined);
const rollup = (r: Rig) => top(r).find((m) => m.metadata?.event_type === "mcp_alert_rollup");
const alone = (r: Rig, id: number) =>
  top(r).filter((m) => m.metadata?.event_payload.alert_id === id);

/**
 * The roll-up settles each alert it counts at the revision it shows, not at the alert's revision
 * when Slack answers: a growth while the roll-up (or its update) is on its way is shown after.
 */
describe("an alert of the hour's roll-up growing while the roll-up is on its way to Slack", () => {
  it("grows high while an update of the roll-up is sent: posted alone, the roll-up shows it", async () => {
    const r = await slackRig({ maxPerHour: 1 });
    r.raise({ severity: "medium", title: "first" });
    const id = r.raise({ severity: "medium", title: "3 calls in an hour" });
    await r.poster.drain();
    expect(rollup(r)).toBeDefined();

    growRetitled(r, id, "medium", "900 calls in an hour");
    r.clock.advance(MIN);
    // Slack answers the roll-up's update late; the poller's engine grows the alert meanwhile.
    r.slack.failNext("chat.update", { delayMs: 500 });
    const draining = r.poster.drain();
    await r.slack.waitFor(() => r.slack.callsTo("chat.update").length === 1, 5000, "the update");
    growRetitled(r, id, "high", "2000 calls in an hour");
    await draining;

    r.clock.advance(MIN);
    await r.poster.drain();
    expect(alone(r, id)).toHaveLength(1);
    expect(JSON.stringify(alone(r, id)[0]?.blocks)).toContain("2000 calls in an hour");
    const shown = JSON.stringify(rollup(r)?.blocks);
    expect(shown).toContain("2000 calls in an hour");
    expect(shown).not.toContain("900 calls in an hour");
    r.clock.advance(MIN);
    await r.poster.drain();
    expect(alone(r, id)).toHaveLength(1);
  });

  it("grows while an update is sent: the roll-up is updated again to show it", async () => {
    const r = await slackRig({ maxPerHour: 1 });
    r.raise({ severity: "medium", title: "first" });
    const id = r.raise({ severity: "medium", title: "3 calls in an hour" });
    await r.poster.drain();

    growRetitled(r, id, "medium", "900 calls in an hour");
    r.clock.advance(MIN);
    r.slack.failNext("chat.update", { delayMs: 500 });
    const draining = r.poster.drain();
    await r.slack.waitFor(() => r.slack.callsTo("chat.update").length === 1, 5000, "the update");
    growRetitled(r, id, "medium", "1200 calls in an hour");
    await draining;

    r.clock.advance(MIN);
    await r.poster.drain();
    expect(JSON.stringify(rollup(r)?.blocks)).toContain("1200 calls in an hour");
    expect(r.slack.callsTo("chat.update")).toHaveLength(2);
    expect(alone(r, id)).toEqual([]);
    r.clock.advance(MIN);
    await r.poster.drain();
    expect(r.slack.callsTo("chat.update")).toHaveLength(2);
  });

  it("grows high while the roll-up itself is posted: posted alone", async () => {
    const r = await slackRig({ maxPerHour: 1 });
    r.raise({ severity: "medium", title: "first" });
    await r.poster.drain();
    const id = r.raise({ severity: "medium", title: "3 calls in an hour" });
    r.clock.advance(MIN);
    r.slack.failNext("chat.postMessage", { delayMs: 500 });
    const draining = r.poster.drain();
    await r.slack.waitFor(
      () => r.slack.callsTo("chat.postMessage").length === 2,
      5000,
      "the roll-up",
    );
    growRetitled(r, id, "high", "First call, now deleting");
    await draining;

    r.clock.advance(MIN);
    await r.poster.drain();
    expect(rollup(r)).toBeDefined();
    expect(alone(r, id)).toHaveLength(1);
    expect(JSON.stringify(rollup(r)?.blocks)).toContain("posted alone");
  });
});

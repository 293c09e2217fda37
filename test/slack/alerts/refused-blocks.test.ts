/**
 * An alert whose message Slack refuses for its blocks (invalid_blocks, msg_too_long,
 * msg_blocks_too_long) is posted in its plain form instead, once, by the same outbox item. Real
 * rig: HTTP to the fake Slack on 127.0.0.1, a real SQLite file.
 */
import { describe, expect, it } from "vitest";
import { CHANNEL, slackRig } from "../setup.js";

type Rig = Awaited<ReturnType<typeof slackRig>>;

/** Drains now and over the next five minutes (every retry that could come due). */
async function drainAWhile(r: Rig): Promise<void> {
  await r.poster.drain();
  for (let i = 0; i < 5; i++) {
    r.clock.advance(60_000);
    await r.poster.drain();
  }
}

const about = (r: Rig, title: string) =>
  r.slack.messages(CHANNEL).filter((m) => String(m.text).includes(title));

describe.each(["invalid_blocks", "msg_too_long", "msg_blocks_too_long"])(
  "an alert whose message Slack refuses with %s",
  (code) => {
    it("is posted once in its plain form, with its buttons, and the refusal logged", async () => {
      const r = await slackRig();
      const id = r.raise({ title: "refused alert" });
      r.slack.failNext("chat.postMessage", { error: code });
      await drainAWhile(r);
      const shown = about(r, "refused alert");
      expect(shown).toHaveLength(1);
      const blocks = JSON.stringify(shown[0]?.blocks);
      expect(blocks).toContain(`Alert ${id}: its details could not be shown`);
      expect(blocks).toContain(`"action_id":"alert_acknowledge"`);
      expect(shown[0]?.metadata).toMatchObject({
        event_type: "mcp_alert",
        event_payload: { alert_id: id, org_id: "org-1" },
      });
      expect(r.stores.deliveries.get("org-1", id)).toMatchObject({ ts: shown[0]?.ts });
      const item = r.stores.outbox.byRef(`alert:org-1:${id}`, "alert");
      expect(item?.state).toBe("delivered");
      expect(r.stores.outbox.health().lastFailure).toBeNull();
      expect(r.logs.text()).toContain(
        `Slack refused alert ${id}'s message (${code}): its plain form (title, rule, buttons) is sent in its place`,
      );
    });
  },
);

describe("an alert refused for its blocks, then", () => {
  it("fails as before when Slack refuses its plain form too, posting nothing", async () => {
    const r = await slackRig();
    const id = r.raise({ title: "refused twice" });
    r.slack.failNext("chat.postMessage", { error: "invalid_blocks" }, 2);
    await drainAWhile(r);
    expect(about(r, "refused twice")).toHaveLength(0);
    expect(r.slack.callsTo("chat.postMessage")).toHaveLength(2);
    expect(r.stores.deliveries.get("org-1", id)).toMatchObject({ ts: null });
    expect(r.stores.outbox.health().lastFailure).toMatchObject({
      kind: "alert",
      orgId: "org-1",
      alertId: id,
      reason: "invalid_blocks",
    });
    expect(r.logs.text()).toContain("Slack refused an alert message for good (invalid_blocks)");
  });

  it("posts its plain form once when the answer to it is lost, found by its look-up", async () => {
    const r = await slackRig();
    const id = r.raise({ title: "cut short" });
    r.slack.failNext("chat.postMessage", { error: "msg_too_long" });
    r.slack.failNext("chat.postMessage", { drop: true });
    await drainAWhile(r);
    const shown = about(r, "cut short");
    expect(shown).toHaveLength(1);
    expect(JSON.stringify(shown[0]?.blocks)).toContain("its details could not be shown");
    expect(r.stores.deliveries.get("org-1", id)).toMatchObject({ ts: shown[0]?.ts });
    expect(r.stores.outbox.byRef(`alert:org-1:${id}`, "alert")?.state).toBe("delivered");
  });

  it("is updated in its plain form when an update of it is refused for its blocks", async () => {
    const r = await slackRig();
    const id = r.raise({ title: "grows" });
    await r.poster.drain();
    const alert = r.alerts.get(id);
    if (!alert) throw new Error("no alert");
    r.alerts.grow(
      alert,
      {
        seq: alert.firstEventSeq,
        time: alert.firstSeen + 60_000,
        late: false,
        tools: alert.tools,
        severity: alert.severity,
        notify: alert.notify,
      },
      alert.firstSeen,
    );
    r.slack.failNext("chat.update", { error: "invalid_blocks" });
    await drainAWhile(r);
    const [message] = about(r, "grows");
    expect(message?.updates).toBe(1);
    expect(JSON.stringify(message?.blocks)).toContain(
      `Alert ${id}: its details could not be shown`,
    );
    expect(r.stores.outbox.health().lastFailure).toBeNull();
    expect(r.logs.text()).toContain(
      `Slack refused an update of alert ${id}'s message (invalid_blocks): its plain form`,
    );
  });
});

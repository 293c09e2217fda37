/**
 * A click whose chat.update Slack does not take at once: the one who clicked is told what was
 * recorded and when the message shows it, and a refusal for good leaves the new state in the
 * thread. Real Bolt on 127.0.0.1, signed clicks, the fake Slack Web API, a real SQLite file.
 */
import { describe, expect, it } from "vitest";
import { registerAlertActions } from "../../../src/slack/alerts/actions.js";
import { boltApp } from "../bolt.js";
import { CHANNEL, slackRig } from "../setup.js";

const RESPONDER = "URESP";

/** An alert posted, and a responder's clicks on its message. */
async function clickRig() {
  const r = await slackRig();
  r.slack.setMembers(CHANNEL, [RESPONDER, "UALSO"]);
  for (const id of [RESPONDER, "UALSO"]) r.slack.addUser({ id });
  const bolt = await boltApp(r, (app, people) =>
    registerAlertActions(app, r.actionDeps({ responders: people })),
  );
  const id = r.raise();
  await r.poster.drain();
  const ts = r.slack.messages(CHANNEL)[0]?.ts ?? "";
  const click = (actionId: string) =>
    bolt.click(actionId, RESPONDER, String(id), { channel: CHANNEL, ts });
  /** The alert's message as the channel shows it. */
  const shown = () => JSON.stringify(r.slack.messages(CHANNEL).find((m) => m.ts === ts)?.blocks);
  const thread = () => r.slack.messages(CHANNEL).filter((m) => m.thread_ts === ts && m.ts !== ts);
  return { ...r, id, ts, click, shown, thread };
}

describe("a click whose chat.update Slack refuses for good", () => {
  it("tells the clicker what was recorded, and the thread shows the alert as it is now", async () => {
    const r = await clickRig();
    r.slack.failNext("chat.update", { error: "cant_update_message" });
    const click = await r.click("alert_acknowledge");
    expect(click.status).toBe(200);
    expect(await click.reply()).toBe(
      `Recorded: alert ${r.id} acknowledged, but Slack would not update its message (cant_update_message): the message may still show the alert as it was, and a reply in its thread shows it as it is now.`,
    );
    await r.settled();
    await r.poster.drain();
    expect(r.alerts.get(r.id)?.status).toBe("acknowledged");
    expect(r.shown()).toContain("alert_acknowledge"); // Slack kept it as it was
    const [note, ...more] = r.thread();
    expect(more).toEqual([]);
    expect(note?.text).toContain(
      `Slack would not update this alert's message (cant_update_message), so it may not show what <@${RESPONDER}> did`,
    );
    expect(JSON.stringify(note?.blocks)).toContain(`Acknowledged by <@${RESPONDER}>`);
    expect(JSON.stringify(note?.blocks)).toContain("alert_reopen");
    expect(JSON.stringify(note?.blocks)).not.toContain("alert_acknowledge");
  });

  it("adds nothing to the thread when the update is taken", async () => {
    const r = await clickRig();
    await r.click("alert_acknowledge");
    await r.slack.waitForCalls("chat.update");
    await r.settled();
    await r.slack.idle();
    expect(r.shown()).toContain(`Acknowledged by <@${RESPONDER}>`);
    expect(r.thread()).toEqual([]);
    expect(r.slack.responses).toEqual([]);
  });
});

describe("a click whose chat.update waits for a rate limit", () => {
  it("tells the clicker the message shows it once Slack's wait is over", async () => {
    const r = await clickRig();
    r.slack.failNext("chat.update", { status: 429, retryAfter: 30 });
    const click = await r.click("alert_acknowledge");
    expect(await click.reply()).toBe(
      `Recorded: alert ${r.id} acknowledged. Slack asked the app to wait before it updates messages, so the alert's message shows it in about 30 s.`,
    );
    await r.settled();
    expect(r.shown()).toContain("alert_acknowledge");
    r.clock.advance(30_000);
    await r.poster.drain();
    expect(r.shown()).toContain(`Acknowledged by <@${RESPONDER}>`);
    expect(r.slack.responses).toHaveLength(1);
  });

  it("tells the clicker at once when chat.update is paused already", async () => {
    const r = await clickRig();
    r.pauses.rateLimited("chat.update", 45_000);
    const click = await r.click("alert_expected");
    expect(await click.reply()).toBe(
      `Recorded: alert ${r.id} marked expected. Slack asked the app to wait before it updates messages, so the alert's message shows it in about 45 s.`,
    );
    await r.settled();
    expect(r.slack.callsTo("chat.update")).toEqual([]);
    expect(r.alerts.get(r.id)?.status).toBe("expected");
  });
});

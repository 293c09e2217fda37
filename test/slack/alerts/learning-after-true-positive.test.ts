/**
 * A confirmed compromise is no pattern to quiet: after a true positive of a rule and person, the
 * next alerts of that pattern offer no mute nor suppression for the Expected marked before it.
 */
import { describe, expect, it } from "vitest";
import { registerAlertActions } from "../../../src/slack/alerts/actions.js";
import { DAY } from "../../../src/time-units.js";
import { boltApp } from "../bolt.js";
import { CHANNEL, slackRig } from "../setup.js";

const RESPONDER = "URESP";
const PAT = { userId: "acc-pat", userEmail: "pat@example.com", userName: "Pat" };

async function rig() {
  const r = await slackRig();
  r.slack.addUser({ id: RESPONDER, email: "resp@example.com" });
  r.slack.addUser({ id: "UPAT", email: "pat@example.com" });
  r.slack.addUser({ id: "UALICE", email: "alice@example.com" });
  r.slack.setMembers(CHANNEL, [RESPONDER, "UPAT"]);
  const b = await boltApp(r, (app, responders) => {
    registerAlertActions(app, r.actionDeps({ responders }));
  });
  /** The alert's message in the channel, as Slack shows it now. */
  const message = (id: number) =>
    r.slack
      .messages(CHANNEL)
      .find((m) => m.metadata?.event_payload.alert_id === id && m.thread_ts === undefined);
  const shown = (id: number) => JSON.stringify(message(id)?.blocks ?? []);
  /** Raises an alert about Pat and posts it. */
  const raise = async (over: Parameters<typeof r.raise>[0] = {}) => {
    const now = r.clock.now();
    const id = r.raise({
      ...PAT,
      groupKey: `mcp-destructive|acc-pat|${now}`,
      firstSeen: now,
      lastSeen: now,
      createdAt: now,
      ...over,
    });
    await r.poster.drain();
    // A drain a click started may be sending it.
    await r.slack.waitFor(() => message(id) !== undefined, 5000, `alert ${id} posted`);
    return id;
  };
  /** A signed click on the alert's message, answered once the outbox has sent what it queued. */
  const click = async (action: string, id: number, user = RESPONDER, option?: string) => {
    const ts = message(id)?.ts ?? "";
    const noted = r.stores.trail.history("org-1", id).length;
    const answered = r.slack.responses.length;
    const where = { channel: CHANNEL, ts };
    const done = await b.click(action, user, option ?? String(id), where, option !== undefined);
    await r.slack.waitFor(
      () =>
        r.slack.responses.length > answered || r.stores.trail.history("org-1", id).length > noted,
      5000,
      `${action} on alert ${id}`,
    );
    await r.settled();
    await r.poster.drain();
    return done;
  };
  /** Raises and marks expected `n` alerts about Pat, one a day. */
  const markExpected = async (n: number) => {
    const ids: number[] = [];
    for (let i = 0; i < n; i++) {
      const id = await raise();
      await b.click("alert_expected", RESPONDER, String(id), {
        channel: CHANNEL,
        ts: message(id)?.ts ?? "",
      });
      await r.slack.waitFor(() => r.alerts.get(id)?.status === "expected", 5000, "expected");
      await r.settled();
      await r.poster.drain();
      ids.push(id);
      r.clock.advance(DAY);
    }
    return ids;
  };
  const trail = (id: number) =>
    r.stores.trail.history("org-1", id).map((e) => `${e.actor} ${e.from}→${e.to} ${e.note ?? ""}`);
  const thread = (id: number) =>
    r.slack
      .messages(CHANNEL)
      .filter((m) => m.thread_ts !== undefined && m.thread_ts === message(id)?.ts)
      .map((m) => m.text);
  return { ...r, ...b, raise, click, markExpected, message, shown, trail, thread };
}

describe("learning after a true positive of the same rule and person", () => {
  it("offers no mute nor suppression on the next alert, and refuses one", async () => {
    const r = await rig();
    await r.markExpected(3);
    const compromised = await r.raise();
    await r.click("alert_true_positive", compromised);
    expect(r.alerts.get(compromised)?.status).toBe("true_positive");
    r.clock.advance(60 * 60_000);
    const next = await r.raise(); // Pat's account at it again, an hour later
    expect(r.shown(next)).not.toContain("alert_mute_30");
    expect(r.shown(next)).not.toContain("alert_suppress");
    await r.click("alert_suppress", next);
    expect(r.stores.suppressions.list()).toEqual([]);
  });

  it("offers them again after three Expected marked since, and not for a reopened true positive", async () => {
    const r = await rig();
    await r.markExpected(3);
    const compromised = await r.raise();
    await r.click("alert_true_positive", compromised);
    r.clock.advance(60 * 60_000);
    await r.markExpected(3);
    expect(r.shown(await r.raise())).toContain("alert_mute_30");

    // Marked true positive by mistake and reopened: the Expected before it count again.
    const again = await rig();
    await again.markExpected(3);
    const mistaken = await again.raise();
    await again.click("alert_true_positive", mistaken);
    await again.click("alert_reopen", mistaken);
    expect(again.alerts.get(mistaken)?.status).toBe("open");
    expect(again.shown(await again.raise())).toContain("alert_mute_30");
  });
});

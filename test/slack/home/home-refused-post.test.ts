/**
 * An alert Slack refused to post for good has no message of its own, as one counted in a roll-up:
 * the App Home lists it before the posted alerts of its severity, never sends its buttons to the
 * alert channel, and once it is handled keeps its Undo (reopen) for 24 hours.
 */
import { describe, expect, it } from "vitest";
import { CHANNEL } from "../setup.js";
import { homeRig, RESPONDER } from "./home-rig.js";

type Rig = Awaited<ReturnType<typeof homeRig>>;

/** An alert raised whose post Slack refuses for good. */
async function refusedAlert(r: Rig): Promise<number> {
  r.slack.failNext("chat.postMessage", { error: "some_refusal_for_good" }, 1);
  const refused = r.raise({ title: "deleteJiraIssue by Mallory" });
  await r.poster.drain().catch(() => undefined);
  await r.slack.idle();
  expect(r.stores.outbox.byRef(`alert:org-1:${refused}`, "alert")?.state).toBe("failed");
  return refused;
}

const undoOf = (text: string, ref: string) =>
  new RegExp(`"action_id":"alert_reopen","text":{[^}]*},"value":"${ref.replace(".", "\\.")}"`).test(
    text,
  );

describe("an alert whose post Slack refused for good, then 20 posted", () => {
  it("is listed in the Home with its buttons, and counted as having no message", async () => {
    const r = await homeRig();
    const refused = await refusedAlert(r);
    const after = Array.from({ length: 20 }, () => r.raise());
    await r.poster.drain();
    const channel = JSON.stringify(r.slack.messages(CHANNEL).map((m) => m.blocks ?? []));
    expect(channel).not.toContain(`"value":"${refused}.`);
    expect(channel).toContain(`"value":"${after[0]}.`);

    await r.openHome(RESPONDER);
    const home = await r.homeOf(RESPONDER);
    const first = home.text.match(
      /"action_id":"alert_acknowledge","text":{[^}]*},"value":"(\d+)\./,
    );
    expect(Number(first?.[1])).toBe(refused);
    expect(home.text).toContain(
      "…and 1 more open alert: 1 in the alert channel, each with its buttons.",
    );
  });
});

describe("an alert whose post Slack refused for good, acknowledged from the Home", () => {
  it("keeps its Undo there when the Home is opened again: it has no message to undo it in", async () => {
    const r = await homeRig();
    const refused = await refusedAlert(r);
    await r.openHome(RESPONDER);
    const home = await r.homeOf(RESPONDER);
    const ref = home.text.match(new RegExp(`"value":"(${refused}\\.\\d+)"`))?.[1] ?? "";
    expect(ref).not.toBe("");
    await r.home.refreshChanged();
    await r.homeClick("alert_acknowledge", RESPONDER, ref);
    const after = await r.homeOf(RESPONDER, 2);
    expect(r.alerts.get(refused)?.status).toBe("acknowledged");
    expect(undoOf(after.text, ref)).toBe(true);

    r.clock.advance(10_000);
    await r.openHome(RESPONDER);
    const reopened = await r.homeOf(RESPONDER, 3);
    expect(reopened.text).toContain("Handled in the last 24 hours, with no message of their own");
    expect(undoOf(reopened.text, ref)).toBe(true);
  });
});

describe("an alert whose post Slack refuses for good after the Home's worker looked", () => {
  it("shows the Home anew, listing it with its buttons", async () => {
    const r = await homeRig();
    await r.openHome(RESPONDER);
    await r.homeOf(RESPONDER);
    await r.home.refreshChanged(); // the worker's first look only takes note
    r.clock.advance(30_000);
    r.slack.failNext("chat.postMessage", { error: "some_refusal_for_good" }, 1);
    const refused = r.raise({ title: "deleteJiraIssue by Mallory" });
    for (let i = 0; i < 20; i++) r.raise();
    await r.home.refreshChanged(); // it sees the alerts raised, before they are posted
    const before = await r.homeOf(RESPONDER, 2);
    expect(before.text).not.toContain(`"value":"${refused}.`);

    await r.poster.drain().catch(() => undefined);
    await r.slack.idle();
    expect(r.stores.outbox.byRef(`alert:org-1:${refused}`, "alert")?.state).toBe("failed");
    r.clock.advance(30_000);
    await r.home.refreshChanged();
    const after = await r.homeOf(RESPONDER, 3);
    expect(after.text).toContain(`"value":"${refused}.`);
  });
});

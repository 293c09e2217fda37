/**
 * An alert the hour's roll-up counts has no message of its own: handled from the App Home, the
 * Home's answer carries its Undo (reopen), which reopens it (and ends the mute its click set);
 * the Home keeps it for 24 hours, however often it is shown anew.
 */
import { describe, expect, it } from "vitest";
import { DAY } from "../../../src/time-units.js";
import { CHANNEL } from "../setup.js";
import { homeRig, RESPONDER } from "./home-rig.js";

type Rig = Awaited<ReturnType<typeof homeRig>>;

/** Ten alerts posted, the eleventh counted in the roll-up; the responder's Home open. */
async function rolledUp(r: Rig): Promise<{ id: number; ref: string }> {
  for (let i = 0; i < 10; i++) r.raise({ severity: "medium", ruleId: "mcp-new-scope" });
  const id = r.raise({ severity: "medium", ruleId: "mcp-new-scope", title: "New scope 11" });
  await r.poster.drain();
  const rollup = r.slack
    .messages(CHANNEL)
    .find((m) => m.metadata?.event_type === "mcp_alert_rollup");
  expect(JSON.stringify(rollup?.blocks)).toContain(`alert ${id}`);
  await r.openHome(RESPONDER);
  const home = await r.homeOf(RESPONDER);
  const ref = home.text.match(new RegExp(`"value":"(${id}\\.\\d+)"`))?.[1];
  expect(ref).toBeDefined();
  return { id, ref: ref ?? "" };
}

const undoOf = (text: string, ref: string) =>
  new RegExp(`"action_id":"alert_reopen","text":{[^}]*},"value":"${ref.replace(".", "\\.")}"`).test(
    text,
  );

describe("a roll-up's alert handled from the App Home", () => {
  it("'Expected, mute 7 days': the Home's answer offers the Undo it names, which reopens it and ends the mute", async () => {
    const r = await homeRig();
    const { id, ref } = await rolledUp(r);
    await r.homeClick("alert_expected_mute", RESPONDER, ref);
    const after = await r.homeOf(RESPONDER, 2);
    expect(r.alerts.get(id)?.status).toBe("expected");
    const who = r.alerts.get(id)?.userId ?? "";
    expect(r.stores.mutes.running("org-1", "mcp-new-scope", who, r.clock.now())).toHaveLength(1);
    expect(after.text).toContain("Undo (reopen) ends the mute");
    expect(undoOf(after.text, ref)).toBe(true);

    await r.homeClick("alert_reopen", RESPONDER, ref);
    const undone = await r.homeOf(RESPONDER, 3);
    expect(r.alerts.get(id)?.status).toBe("open");
    expect(r.stores.mutes.running("org-1", "mcp-new-scope", who, r.clock.now())).toEqual([]);
    expect(undone.text).toContain("ended the mute");
    expect(undoOf(undone.text, ref)).toBe(false);
  });

  it("'Acknowledge': the Home says so and offers its Undo", async () => {
    const r = await homeRig();
    const { id, ref } = await rolledUp(r);
    await r.homeClick("alert_acknowledge", RESPONDER, ref);
    const after = await r.homeOf(RESPONDER, 2);
    expect(r.alerts.get(id)?.status).toBe("acknowledged");
    expect(after.text).toContain(`Recorded: alert ${id} acknowledged.`);
    expect(undoOf(after.text, ref)).toBe(true);
  });

  it("an alert with a message of its own is undone there: the Home adds no Undo", async () => {
    const r = await homeRig();
    const id = r.raise({ severity: "medium", ruleId: "mcp-new-scope" });
    await r.poster.drain();
    await r.openHome(RESPONDER);
    const home = await r.homeOf(RESPONDER);
    const ref = home.text.match(new RegExp(`"value":"(${id}\\.\\d+)"`))?.[1] ?? "";
    await r.homeClick("alert_acknowledge", RESPONDER, ref);
    const after = await r.homeOf(RESPONDER, 2);
    expect(r.alerts.get(id)?.status).toBe("acknowledged");
    expect(after.text).not.toContain("alert_reopen");
  });
});

describe("the Undo of a roll-up's alert handled from the App Home, later", () => {
  /** Handled from the Home after the refresh worker's first look; nowhere else to undo it. */
  async function handled(r: Rig, actionId: string): Promise<{ id: number; ref: string }> {
    const alert = await rolledUp(r);
    await r.home.refreshChanged(); // the worker's look before the click (every 30 s)
    await r.homeClick(actionId, RESPONDER, alert.ref);
    expect(undoOf((await r.homeOf(RESPONDER, 2)).text, alert.ref)).toBe(true);
    const channel = JSON.stringify(r.slack.messages(CHANNEL).map((m) => m.blocks));
    expect(channel).not.toContain(`"value":"${alert.ref}"`);
    return alert;
  }

  it("stays when the Home refreshes itself after alerts changed", async () => {
    const r = await homeRig();
    const { id, ref } = await handled(r, "alert_acknowledge");
    await r.home.refreshChanged();
    const refreshed = await r.homeOf(RESPONDER, 3);
    expect(undoOf(refreshed.text, ref)).toBe(true);
    expect(refreshed.text).toContain("Handled in the last 24 hours, with no message of their own");
    expect(refreshed.text).toContain(`alert ${id} · acknowledged by <@${RESPONDER}>`);
  });

  it("stays when the Home is opened again, and undoes the mute of 'Expected, mute 7 days'", async () => {
    const r = await homeRig();
    const { id, ref } = await handled(r, "alert_expected_mute");
    const who = r.alerts.get(id)?.userId ?? "";
    r.clock.advance(10_000);
    await r.openHome(RESPONDER);
    const reopened = await r.homeOf(RESPONDER, 3);
    expect(undoOf(reopened.text, ref)).toBe(true);

    await r.homeClick("alert_reopen", RESPONDER, ref);
    const undone = await r.homeOf(RESPONDER, 4);
    expect(r.alerts.get(id)?.status).toBe("open");
    expect(r.stores.mutes.running("org-1", "mcp-new-scope", who, r.clock.now())).toEqual([]);
    expect(undone.text).toContain("ended the mute");
    expect(undoOf(undone.text, ref)).toBe(false);
  });

  it("is kept for 24 hours", async () => {
    const r = await homeRig();
    const { ref } = await handled(r, "alert_acknowledge");
    r.clock.advance(DAY - 60_000);
    await r.openHome(RESPONDER);
    expect(undoOf((await r.homeOf(RESPONDER, 3)).text, ref)).toBe(true);
    r.clock.advance(2 * 60_000);
    await r.openHome(RESPONDER);
    expect(undoOf((await r.homeOf(RESPONDER, 4)).text, ref)).toBe(false);
  });
});

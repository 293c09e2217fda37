/**
 * An alert the hour's roll-up counts has no message of its own: handled from the App Home, the
 * Home's answer carries its Undo (reopen), which reopens it (and ends the mute its click set).
 */
import { describe, expect, it } from "vitest";
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

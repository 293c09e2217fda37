/**
 * A confirmed compromise is no pattern to quiet: after a true positive of a rule and person, the
 * next alerts of that pattern offer no mute nor suppression for the Expected marked before it.
 */
import { describe, expect, it } from "vitest";
import { learningRig as rig } from "../learning-rig.js";

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

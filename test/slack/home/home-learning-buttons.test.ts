/**
 * The Home lists each open alert with the channel message's buttons: once responders marked its
 * rule and person expected three times, Mute 30 days and Suppress too.
 */
import { describe, expect, it } from "vitest";
import { CHANNEL } from "../setup.js";
import { homeRig, RESPONDER } from "./home-rig.js";

type Rig = Awaited<ReturnType<typeof homeRig>>;

const bob = {
  ruleId: "mcp-new-scope",
  severity: "medium" as const,
  userId: "acc-bob",
  userName: "Bob",
  userEmail: "bob@example.com",
};

/** Three of Bob's alerts marked expected by a responder, then `open` more left open. */
async function taught(r: Rig, open: number): Promise<number[]> {
  for (let i = 1; i <= 3; i++) {
    const id = r.raise({ ...bob, groupKey: `done-${i}` });
    r.stores.trail.change("org-1", id, "expected", RESPONDER, r.clock.now(), () => true);
  }
  const ids = Array.from({ length: open }, (_, i) => r.raise({ ...bob, groupKey: `open-${i}` }));
  await r.poster.drain();
  return ids;
}

describe("the Home's buttons of an alert whose pattern responders marked expected three times", () => {
  it("are the channel message's: Mute 30 days and Suppress too", async () => {
    const r = await homeRig();
    const [id] = await taught(r, 1);
    const channel = JSON.stringify(
      r.slack
        .messages(CHANNEL)
        .find((m) => JSON.stringify(m.blocks ?? []).includes(`"alert_actions_${id}"`))?.blocks,
    );
    expect(channel).toContain(`"alert_learning_${id}"`);
    await r.openHome(RESPONDER);
    const home = await r.homeOf(RESPONDER);
    expect(home.text).toContain(`"alert_learning_${id}"`);
    expect(home.text).toContain("alert_mute_30");
    expect(home.text).toContain("alert_suppress");
    expect(home.text).toContain("Marked expected 3 times");
  });
});

/**
 * A worker pass that comes more than 10 minutes after the last (a pass held up by Slack, a machine
 * asleep, a loop that failed and waited) still sees a posted alert's change made just after the
 * last look: the responder's Home does not keep showing it open.
 */
import { describe, expect, it } from "vitest";
import { homeRig, RESPONDER } from "./home-rig.js";

describe("a responder's Home after a late look", () => {
  it("is refreshed for a change made between two looks 11 minutes apart", async () => {
    const r = await homeRig();
    await r.home.refreshChanged(); // the worker's first look
    await r.openHome(RESPONDER);
    await r.homeOf(RESPONDER, 1);
    const id = r.raise({ title: "raised for the channel", createdAt: r.clock.now() });
    r.clock.advance(30_000);
    await r.home.refreshChanged();
    expect((await r.homeOf(RESPONDER, 2)).text).toContain("raised for the channel");
    // Acknowledged just after that look; the next look comes 11 minutes later.
    r.stores.trail.change("org-1", id, "acknowledged", RESPONDER, r.clock.now(), () => true);
    r.clock.advance(11 * 60_000);
    await r.home.refreshChanged();
    await r.settled();
    expect(r.slack.home(RESPONDER)?.publishes).toBe(3);
  });
});

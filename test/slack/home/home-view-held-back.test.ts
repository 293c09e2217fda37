/**
 * An App Home view held back past its deadline by a setup problem (the token revoked a quarter of
 * an hour) or by the bot being down is published once it can be: a question's late send is given
 * up, a view is not, for it carries the answer to a click (and its Undo) and a newer one replaces it.
 */
import { describe, expect, it } from "vitest";
import { MINUTE } from "../../../src/time-units.js";
import { ALICE, homeRig } from "./home-rig.js";

const homeRows = (r: Awaited<ReturnType<typeof homeRig>>) =>
  r.db.prepare("SELECT state, failure FROM outbox WHERE kind = 'home' ORDER BY id").all();

describe("an App Home view held back past its deadline", () => {
  it("is published once the token works again a quarter of an hour later", async () => {
    const r = await homeRig({ queued: false });
    r.slack.failNext("views.publish", { error: "token_revoked" });
    await r.home.show(ALICE, "the view");
    await r.poster.drain();
    expect(r.slack.home(ALICE)).toBeUndefined();
    r.clock.advance(15 * MINUTE);
    await r.poster.drain();
    await r.poster.drain();
    expect(homeRows(r)).toEqual([expect.objectContaining({ state: "delivered" })]);
    expect(JSON.stringify(r.slack.home(ALICE)?.blocks)).toContain("the view");
  });

  it("is published when the bot comes back eleven minutes after queuing it", async () => {
    const r = await homeRig({ queued: false });
    await r.home.show(ALICE, "the view");
    r.clock.advance(11 * MINUTE);
    await r.poster.drain();
    expect(homeRows(r)).toEqual([expect.objectContaining({ state: "delivered" })]);
    expect(JSON.stringify(r.slack.home(ALICE)?.blocks)).toContain("the view");
  });
});

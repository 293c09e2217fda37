/**
 * Only the latest App Home view of a person matters: an older one whose publish met a Slack error,
 * waiting to be tried again, or being sent when the newer one was queued, is never published
 * after the newer one.
 */
import { describe, expect, it } from "vitest";
import { HOUR } from "../../../src/time-units.js";
import { ALICE, homeRig, RESPONDER } from "./home-rig.js";

const homeRows = (r: Awaited<ReturnType<typeof homeRig>>) =>
  r.db.prepare("SELECT id, state, failure FROM outbox WHERE kind = 'home' ORDER BY id").all();

describe("a newer App Home view is not overwritten by an older one retried", () => {
  it("a person's Not me thanks stays: the view from before it, met by a 503, is not sent", async () => {
    const r = await homeRig();
    r.activity([{ time: r.clock.now() - HOUR, tool: "deleteJiraIssue", toolClass: "destructive" }]);
    r.slack.failNext("views.publish", { status: 503 });
    await r.openHome(ALICE);
    await r.settled();
    expect(r.slack.home(ALICE)).toBeUndefined();
    const today = new Date(r.clock.now()).toISOString().slice(0, 10);
    await r.homeClick("home_not_me", ALICE, `${today}|org-1`);
    const thanks = await r.homeOf(ALICE);
    expect(thanks.text).toContain("was not you (alert");
    // The older view's retry falls due (one second after its 503).
    r.clock.advance(1000);
    await r.poster.drain();
    await r.settled();
    const last = JSON.stringify(r.slack.home(ALICE)?.blocks);
    expect(last).toContain("You said this was not you");
    expect(last).not.toContain("home_not_me");
    expect(r.slack.home(ALICE)?.publishes).toBe(1);
    expect(homeRows(r)).toEqual([
      expect.objectContaining({ state: "dropped" }),
      expect.objectContaining({ state: "delivered" }),
    ]);
  });

  it("an older view waiting to be tried again after a 503 is dropped when a newer one is queued", async () => {
    const r = await homeRig({ queued: false });
    r.slack.failNext("views.publish", { status: 503 });
    await r.home.show(ALICE, "the older view");
    await r.poster.drain();
    await r.home.show(ALICE, "the newer view");
    expect(homeRows(r)).toEqual([
      expect.objectContaining({ state: "dropped", failure: "replaced by a newer view" }),
      expect.objectContaining({ state: "pending" }),
    ]);
    r.clock.advance(60_000);
    await r.poster.drain();
    expect(r.slack.home(ALICE)?.publishes).toBe(1);
    expect(JSON.stringify(r.slack.home(ALICE)?.blocks)).toContain("the newer view");
  });

  it("a responder's acknowledged alert stays gone: the view from before, met by a 503, is not sent", async () => {
    const r = await homeRig();
    const id = r.raise({ title: "an alert to acknowledge" });
    await r.poster.drain();
    r.slack.failNext("views.publish", { status: 503 });
    await r.openHome(RESPONDER);
    await r.settled();
    expect(r.slack.home(RESPONDER)).toBeUndefined();
    await r.homeClick("alert_acknowledge", RESPONDER, r.buttonRef(id));
    const after = await r.homeOf(RESPONDER);
    expect(r.alerts.get(id)?.status).toBe("acknowledged");
    expect(after.text).not.toContain(`"value":"${id}.`);
    r.clock.advance(1000);
    await r.poster.drain();
    await r.settled();
    expect(r.slack.home(RESPONDER)?.publishes).toBe(1);
    expect(JSON.stringify(r.slack.home(RESPONDER)?.blocks)).not.toContain(`"value":"${id}.`);
  });

  it("an older view being sent when the newer one is queued, then met by a 503, is not sent again", async () => {
    const r = await homeRig({ queued: false });
    await r.home.show(ALICE, "the older view");
    let newer: Promise<void> | undefined;
    let olderState: unknown;
    // While Slack has the older view's publish in hand, the newer view is queued (Alice's standing
    // and profile are cached, so it is queued before the 503 is answered: the dropped row's reason
    // below says it was the older view's retry that was not sent, not a row superseded).
    r.slack.failNext("views.publish", { status: 503 }, 1, () => {
      olderState = r.db.prepare("SELECT state FROM outbox WHERE kind = 'home'").get();
      newer = r.home.show(ALICE, "the newer view");
      return true;
    });
    await r.poster.drain();
    await newer;
    expect(olderState).toEqual({ state: "claimed" });
    r.clock.advance(60_000);
    await r.poster.drain();
    // The older view's 503, then the newer view: the older is not tried again.
    expect(r.slack.callsTo("views.publish")).toHaveLength(2);
    expect(r.slack.home(ALICE)?.publishes).toBe(1);
    expect(JSON.stringify(r.slack.home(ALICE)?.blocks)).toContain("the newer view");
    expect(homeRows(r)).toEqual([
      expect.objectContaining({
        state: "dropped",
        failure: "a newer view of the Home follows it, or was sent",
      }),
      expect.objectContaining({ state: "delivered" }),
    ]);
  });
});

/**
 * Someone removed from the responders stops seeing the responder's App Home (others' open alerts
 * and names) within minutes, without opening it again: their own view replaces it.
 */
import { expect, it } from "vitest";
import { CHANNEL } from "../setup.js";
import { homeRig, RESPONDER } from "./home-rig.js";

it("takes the responder view away from someone no longer a responder, once, without their opening it", async () => {
  const r = await homeRig();
  r.raise({ title: "deleteJiraIssue by a person" });
  await r.openHome(RESPONDER);
  expect((await r.homeOf(RESPONDER)).text).toContain("Open alerts: 1");
  const publishes = () => r.slack.callsTo("views.publish").length;
  await r.home.refreshChanged(); // still a responder: nothing to take away
  await r.settled();
  const before = publishes();
  expect(before).toBe(1);

  r.slack.setMembers(CHANNEL, []); // removed from the private alert channel
  r.clock.advance(6 * 60_000); // the responders' membership is looked up again after 5 minutes
  await r.home.refreshChanged();
  await r.settled();
  expect(publishes()).toBe(before + 1);
  const now = JSON.stringify(r.slack.home(RESPONDER)?.blocks);
  expect(now).not.toContain("Open alerts");
  expect(now).not.toContain("alert_acknowledge");

  // Their own view is the newest: nothing more is published for them.
  r.clock.advance(6 * 60_000);
  await r.home.refreshChanged();
  await r.settled();
  expect(publishes()).toBe(before + 1);
});

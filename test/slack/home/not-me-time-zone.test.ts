/**
 * A Home "Not me" names its day in the person's Slack time zone: the alert says which zone, so a
 * responder in another zone reads the same call on another date without being misled.
 */
import { describe, expect, it } from "vitest";
import { HOUR } from "../../../src/time-units.js";
import { T0 } from "../../detect/fixtures.js";
import { CHANNEL } from "../setup.js";
import { homeRig } from "./home-rig.js";

const CAROL = "UCAROL";

/**
 * Carol, in Slack time zone `tz`, with one call at 2026-11-03 20:00 UTC (2026-11-04 01:30 in
 * Kolkata), presses Not me on `day` in her Home: the alert posted to the channel.
 */
async function notMeOfCarol(tz: string, day: string) {
  const r = await homeRig();
  r.slack.addUser({ id: CAROL, email: "carol@example.com", tz });
  r.activity([
    {
      time: T0 - 14 * HOUR,
      userId: "acc-carol",
      userEmail: "carol@example.com",
      userName: "Carol Iyer",
    },
  ]);
  await r.openHome(CAROL);
  expect((await r.homeOf(CAROL)).text).toContain(`"value":"${day}|org-1"`);
  await r.homeClick("home_not_me", CAROL, `${day}|org-1`);
  await r.slack.waitFor(() => r.slack.messages(CHANNEL).some((m) => m.text.includes("[HIGH]")));
  const [post] = r.slack.messages(CHANNEL);
  return post;
}

describe("a Home Not me in the person's time zone", () => {
  it("names the day with the zone it is in, in the channel's alert", async () => {
    const post = await notMeOfCarol("Asia/Kolkata", "2026-11-04");
    expect(post?.text).toContain(
      "Carol Iyer says the AI-tool activity with their account on 2026-11-04 (Asia/Kolkata, their time) was not them (1 call)",
    );
    // The call's time in the message is UTC's, on the 3rd.
    expect(JSON.stringify(post?.blocks)).toContain("2026-11-03 20:00 UTC");
  });

  it("says UTC stands in when the person's Slack profile gives no time zone it can read", async () => {
    // A zone Slack gives that names no time zone: UTC stands in.
    const post = await notMeOfCarol("Mars/Olympus_Mons", "2026-11-03");
    expect(post?.text).toContain(
      "on 2026-11-03 (UTC: their Slack profile gives no usable time zone) was not them (1 call)",
    );
  });
});

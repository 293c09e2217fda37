/** The Home's Not me says nothing of which organizations are watched. */
import { expect, it } from "vitest";
import { BOB, homeRig } from "./home-rig.js";

it("a non-responder cannot tell a watched organization id from one not watched", async () => {
  const r = await homeRig();
  const today = new Date(r.clock.now()).toISOString().slice(0, 10);
  // Bob has no activity anywhere. He forges the Home's Not me value with org ids he guesses.
  await r.homeClick("home_not_me", BOB, `${today}|org-1`); // watched
  const watched = await r.homeOf(BOB, 1);
  await r.homeClick("home_not_me", BOB, `${today}|org-not-watched`);
  const unwatched = await r.homeOf(BOB, 2);
  const notice = (t: string) => /(That day is [^"]*?)(?:\\n|")/.exec(t)?.[1];
  expect(notice(watched.text)).toBe("That day is no longer shown here, so nothing was sent.");
  expect(notice(unwatched.text)).toBe(notice(watched.text));
});

/**
 * Someone whose Slack e-mail cannot be taken as theirs (unconfirmed, or another company's member)
 * sees no activity in the App Home, and is told why as `/mcp-activity user:me` tells them: not that
 * their profile shows no address, which they can see is false.
 */
import { describe, expect, it } from "vitest";
import { T0 } from "../../detect/fixtures.js";
import { homeRig } from "./home-rig.js";

describe("the App Home of someone whose Slack e-mail is unconfirmed", () => {
  it("says why their account cannot be found, not that they have no address", async () => {
    const h = await homeRig();
    h.slack.addUser({
      id: "UCAROL",
      email: "carol@example.com",
      tz: "UTC",
      is_email_confirmed: false,
    });
    h.activity([
      { userId: "acc-carol", actorId: "acc-carol", userEmail: "carol@example.com", time: T0 },
    ]);
    await h.openHome("UCAROL");
    const { text } = await h.homeOf("UCAROL");
    expect(text).not.toContain("getJiraIssue");
    expect(text).not.toContain("shows no e-mail address");
    expect(text).toContain("it has none, it is unconfirmed, or the account is another company's");
  });
});

/**
 * When Slack's users.info cannot be read (a 429, a 5xx) and no earlier answer is cached, the App
 * Home still says something: a view that needs no profile, saying to try again in a minute. A
 * responder is not shown the responder view (failing closed), and a Not me is answered.
 */
import { describe, expect, it } from "vitest";
import { MANIFEST_SCOPES } from "../../../src/slack/scopes.js";
import { HOUR } from "../../../src/time-units.js";
import { ALICE, homeRig, RESPONDER } from "./home-rig.js";

const UNREAD = "your Slack profile could not be looked up right now";

describe("the App Home when the opener's Slack profile cannot be looked up", () => {
  it("a responder whose standing cannot be told sees the personal view saying to try again, no alerts", async () => {
    const r = await homeRig();
    r.raise({ title: "an alert nobody else may see" });
    r.slack.failNext("users.info", { status: 503 }, 5);
    await r.openHome(RESPONDER);
    const home = await r.homeOf(RESPONDER);
    expect(home.text).toContain("Your AI-tool activity");
    expect(home.text).toContain("I could not check who you are right now; try again in a minute.");
    expect(home.text).toContain(UNREAD);
    expect(home.text).not.toContain("an alert nobody else may see");
    expect(home.text).not.toContain("alert_acknowledge");
  });

  it("a person whose profile cannot be looked up is told so, not left with nothing", async () => {
    const r = await homeRig();
    r.activity([{ time: r.clock.now() - HOUR }]);
    r.slack.failNext("users.info", { status: 429, retryAfter: 1 }, 5);
    await r.openHome(ALICE);
    const home = await r.homeOf(ALICE);
    expect(home.text).toContain(UNREAD);
    expect(home.text).toContain("Try again in a minute.");
    expect(home.text).not.toContain("home_not_me");
  });

  it("a person the app lacks the scope to look up is told what must be added, not to try again", async () => {
    const r = await homeRig();
    r.activity([{ time: r.clock.now() - HOUR }]);
    r.slack.failNext(
      "users.info",
      { error: "missing_scope", fields: { needed: "users:read", provided: "chat:write" } },
      5,
    );
    await r.openHome(ALICE);
    const home = await r.homeOf(ALICE);
    expect(home.text).toContain(
      "Your activity cannot be shown: the Slack app lacks the users:read scope; whoever manages the Slack app must add it and reinstall the app.",
    );
    expect(home.text).not.toContain("Try again in a minute.");
  });

  it("a person whose e-mail Slack withholds (no users:read.email) is told the scope, not that it is theirs", async () => {
    const r = await homeRig();
    r.slack.grantScopes(Object.keys(MANIFEST_SCOPES).filter((s) => s !== "users:read.email"));
    // As Slack answers then: the profile without its e-mail.
    r.slack.addUser({ id: "UNOMAIL" });
    await r.openHome("UNOMAIL");
    const home = await r.homeOf("UNOMAIL");
    expect(home.text).toContain(
      "Your activity cannot be shown: the Slack app lacks the users:read.email scope; whoever manages the Slack app must add it and reinstall the app.",
    );
    expect(home.text).not.toContain("gives no e-mail address I can take as yours");
  });

  it("a Not me while users.info fails raises nothing and tells the person nothing was sent", async () => {
    const r = await homeRig();
    r.activity([{ time: r.clock.now() - HOUR, tool: "deleteJiraIssue", toolClass: "destructive" }]);
    await r.openHome(ALICE);
    const home = await r.homeOf(ALICE);
    const value = /"value":"(\d{4}-\d\d-\d\d\|org-1)"/.exec(home.text)?.[1] ?? "";
    expect(value).not.toBe("");
    // Later the same day (her cached profile has run out), users.info is rate limited while she
    // presses Not me on the view she has open.
    r.clock.advance(2 * HOUR);
    r.slack.failNext("users.info", { status: 429, retryAfter: 1 }, 5);
    await r.homeClick("home_not_me", ALICE, value);
    const after = await r.homeOf(ALICE, 2);
    expect(r.alerts.list("org-1").filter((a) => a.ruleId === "mcp-not-me")).toHaveLength(0);
    expect(after.text).toContain("nothing was sent; try again");
    expect(after.text).toContain(UNREAD);
    expect(after.text).not.toContain("home_not_me");
  });
});

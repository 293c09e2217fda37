/**
 * `/mcp-activity` when Slack does not give a profile (users.info failing, nothing cached) or the
 * app lacks the scope to read e-mails: the asker is told to try again, or which scope is missing,
 * never that the account has no e-mail. The real Bolt app, signed, the fake Slack.
 */
import { describe, expect, it } from "vitest";
import { MANIFEST_SCOPES } from "../../../src/slack/scopes.js";
import { commandRig } from "./command-rig.js";

const NO_EMAIL = "gives no e-mail address";

async function rig() {
  const r = await commandRig([{}]);
  const ask = async (text: string, user: string) =>
    JSON.stringify(await (await r.command(text, user)).body());
  return { ...r, ask };
}

describe("/mcp-activity when a Slack profile cannot be read", () => {
  it("tells someone asking about themselves to try again, not that their account has no e-mail", async () => {
    const r = await rig();
    r.slack.failNext("users.info", { error: "fatal_error" }, 20);
    for (const text of ["user:me since:7d", "user:alice@example.com since:7d"]) {
      const reply = await r.ask(text, "UALICE");
      expect(reply).toContain(
        "I could not read your Slack profile right now; try again in a minute.",
      );
      expect(reply).not.toContain(NO_EMAIL);
      expect(reply).not.toContain("You can ask about your own activity");
    }
  });

  it("tells a responder mentioning someone to try again, not that their profile has no e-mail", async () => {
    const r = await rig();
    r.slack.addUser({ id: "UBOB", name: "bob", email: "bob@example.com", tz: "UTC" });
    // The responder's own profile and standing are read (and cached) by an earlier question.
    expect(await r.ask("since:7d", "URESP")).toContain("1 MCP call");
    r.slack.failNext("users.info", { status: 429, retryAfter: 1 }, 20);
    const reply = await r.ask("user:<@UBOB|bob> since:7d", "URESP");
    expect(reply).toContain(
      "I could not read <@UBOB>'s Slack profile right now; try again in a minute.",
    );
    expect(reply).not.toContain(NO_EMAIL);
  });

  it("names the scope the app lacks rather than saying to try again", async () => {
    const r = await rig();
    r.slack.failNext(
      "users.info",
      { error: "missing_scope", fields: { needed: "users:read", provided: "chat:write" } },
      20,
    );
    const reply = await r.ask("user:me since:7d", "UALICE");
    expect(reply).toContain(
      "I could not read your Slack profile: the Slack app lacks the users:read scope; whoever manages the Slack app must add it and reinstall the app.",
    );
    expect(reply).not.toContain("try again");
  });

  it("says Slack refused the bot's token, to be replaced, rather than to try again", async () => {
    const r = await rig();
    r.slack.failNext("users.info", { error: "token_revoked" }, 20);
    const reply = await r.ask("user:me since:7d", "UALICE");
    expect(reply).toContain(
      "I could not read your Slack profile: Slack refused the bot's token. Tell whoever runs mcp-activity (SLACK_BOT_TOKEN needs replacing).",
    );
    expect(reply).not.toContain("try again");
  });

  it("names users:read.email when Slack withholds every e-mail", async () => {
    const r = await rig();
    r.slack.grantScopes(Object.keys(MANIFEST_SCOPES).filter((s) => s !== "users:read.email"));
    // As Slack answers then: the profile without its e-mail.
    r.slack.addUser({ id: "UNOMAIL", name: "nomail", tz: "UTC" });
    await r.ask("help", "UNOMAIL"); // an answer of Slack says which scopes the app has
    const reply = await r.ask("user:me since:7d", "UNOMAIL");
    expect(reply).toContain(
      "I cannot read your e-mail address in Slack: the Slack app lacks the users:read.email scope",
    );
    expect(reply).not.toContain(NO_EMAIL);
  });

  it("names users:read.email to a responder mentioning someone, and to someone mentioning themselves", async () => {
    const r = await rig();
    r.slack.grantScopes(Object.keys(MANIFEST_SCOPES).filter((s) => s !== "users:read.email"));
    r.slack.addUser({ id: "UBOB", name: "bob", tz: "UTC" });
    r.slack.addUser({ id: "UNOMAIL", name: "nomail", tz: "UTC" });
    await r.ask("help", "URESP");
    for (const [text, user, whose] of [
      ["user:<@UBOB|bob> since:7d", "URESP", "<@UBOB>'s"],
      ["user:<@UNOMAIL|nomail> since:7d", "UNOMAIL", "<@UNOMAIL>'s"],
    ] as const) {
      const reply = await r.ask(text, user);
      expect(reply).toContain(
        `I cannot read ${whose} e-mail address in Slack: the Slack app lacks the users:read.email scope`,
      );
      expect(reply).not.toContain(NO_EMAIL);
    }
  });
});

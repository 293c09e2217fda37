/**
 * The responders when the Slack app lacks a scope their look-up needs (usergroups:read for the user
 * groups of SLACK_RESPONDERS, users:read for anyone's profile): what the responder who clicks, and
 * /healthz's slack.responders, are told. Real Bolt, signed clicks, the fake Slack on 127.0.0.1.
 */
import { describe, expect, it } from "vitest";
import { registerAlertActions } from "../../src/slack/alerts/actions.js";
import { boltApp } from "./bolt.js";
import { CHANNEL, slackRig } from "./setup.js";

const RESPONDER = "URESP";

/** An alert posted, its responders as `responders` says (empty: the alert channel's members). */
async function rig(responders = "", members = [RESPONDER]) {
  const r = await slackRig();
  r.slack.addUser({ id: RESPONDER, email: "resp@example.com" });
  r.slack.setMembers(CHANNEL, members);
  r.slack.setUsergroup("S0SEC", [RESPONDER]);
  const b = await boltApp(
    r,
    (app, people) => registerAlertActions(app, r.actionDeps({ responders: people })),
    { responders },
  );
  const id = r.raise({ userEmail: "p1@example.com" });
  await r.poster.drain();
  const ts = r.slack.messages(CHANNEL)[0]?.ts ?? "";
  const ack = async () =>
    (await b.click("alert_acknowledge", RESPONDER, String(id), { channel: CHANNEL, ts })).reply();
  return { ...r, ...b, id, ack };
}

const refused = (needed: string) => ({
  error: "missing_scope",
  fields: { needed, provided: "chat:write" },
});

describe("responders the Slack app lacks a scope to look up", () => {
  it("without usergroups:read: the responder and slack.responders name the scope to add", async () => {
    const r = await rig("S0SEC");
    r.slack.failNext("usergroups.users.list", refused("usergroups:read"), 1000);
    expect(await r.ack()).toBe(
      "The responders cannot be looked up: the Slack app lacks the usergroups:read scope; whoever manages the Slack app must add it and reinstall the app.",
    );
    expect(r.responders.status()).toBe(
      "SLACK_RESPONDERS (1); its user groups could not be looked up (missing_scope: the Slack app lacks a scope: add the usergroups:read scope to the Slack app and reinstall it): nobody may handle alerts until they are",
    );
    // What /mcp-activity status says.
    expect(r.responders.problem()).toBe(
      "the responders could not be looked up (missing_scope: the Slack app lacks a scope: add the usergroups:read scope to the Slack app and reinstall it)",
    );
    expect(r.alerts.get(r.id)?.status).toBe("open");
  });

  it("without users:read: the responder and slack.responders name the scope to add", async () => {
    const r = await rig();
    r.slack.failNext("users.info", refused("users:read"), 1000);
    expect(await r.ack()).toBe(
      "I could not check who you are: the Slack app lacks the users:read scope; whoever manages the Slack app must add it and reinstall the app.",
    );
    expect(r.responders.status()).toBe(
      "members of the private alert channel (1); their Slack profiles could not be looked up (missing_scope: the Slack app lacks a scope: add the users:read scope to the Slack app and reinstall it): nobody may handle alerts until they are",
    );
    expect(r.responders.problem()).toBe(
      "the responders' Slack profiles could not be looked up (missing_scope: the Slack app lacks a scope: add the users:read scope to the Slack app and reinstall it)",
    );
    expect(r.alerts.get(r.id)?.status).toBe("open");
  });

  it("a passing failure of the groups' look-up still asks to try again in a minute", async () => {
    const r = await rig("S0SEC");
    r.slack.failNext("usergroups.users.list", { error: "internal_error" }, 1000);
    expect(await r.ack()).toBe(
      "The responders cannot be looked up right now; try again in a minute.",
    );
    expect(r.responders.problem()).toBeUndefined();
  });
});

describe("the bot in the private alert channel", () => {
  it("is not counted among the responders", async () => {
    const r = await rig("", [RESPONDER, "UBOT"]);
    await r.responders.refresh();
    expect(r.responders.status()).toBe("members of the private alert channel (1)");
  });
});

/**
 * A responder's click barred on an alert about themselves, when Slack will not say whether it is
 * (users.lookupByEmail refused): for good, an app installed without users:read.email, or for a
 * while. Real Bolt, signed clicks, the fake Slack on 127.0.0.1, a real SQLite file.
 */
import { describe, expect, it } from "vitest";
import { registerAlertActions } from "../../../src/slack/alerts/actions.js";
import type { SlackFault } from "../../fakes/slack-api.js";
import { boltApp } from "../bolt.js";
import { CHANNEL, slackRig } from "../setup.js";

const RESPONDER = "URESP";

/** A responder clicking Acknowledge three times, two minutes apart, while `fault` lasts. */
async function threeClicks(fault: SlackFault) {
  const r = await slackRig();
  r.slack.addUser({ id: RESPONDER, email: "resp@example.com" });
  r.slack.setMembers(CHANNEL, [RESPONDER]);
  const b = await boltApp(r, (app, responders) =>
    registerAlertActions(app, r.actionDeps({ responders })),
  );
  const id = r.raise({ userEmail: "p1@example.com" });
  await r.poster.drain();
  const ts = r.slack.messages(CHANNEL)[0]?.ts ?? "";
  r.slack.failNext("users.lookupByEmail", fault, 100);
  const replies: string[] = [];
  for (let i = 0; i < 3; i++) {
    const click = await b.click("alert_acknowledge", RESPONDER, String(id), {
      channel: CHANNEL,
      ts,
    });
    replies.push(await click.reply());
    r.clock.advance(2 * 60_000);
  }
  const warnings = r.logs
    .lines()
    .filter((l) => Number(l.level) >= 40)
    .map((l) => String(l.msg));
  return { replies, warnings, status: r.alerts.get(id)?.status };
}

describe("whether an alert is about the responder who clicked, unknown", () => {
  it("without users:read.email: names the scope to the responder, changes nothing, and logs it once", async () => {
    const { replies, warnings, status } = await threeClicks({
      error: "missing_scope",
      fields: { needed: "users:read.email", provided: "chat:write,users:read" },
    });
    const told =
      "I could not check whether this alert is about you, so nothing was changed: the Slack app lacks the users:read.email scope; whoever manages the Slack app must add it and reinstall the app.";
    expect(replies).toEqual([told, told, told]);
    expect(status).toBe("open");
    expect(warnings).toEqual([
      "alert buttons: whether an alert is about the responder who clicked cannot be checked (missing_scope: the Slack app lacks a scope: add the users:read.email scope to the Slack app and reinstall it); the buttons barred on oneself are refused until then",
    ]);
  });

  it("while Slack answers 500: asks to try again in a minute", async () => {
    const { replies, status } = await threeClicks({ status: 500 });
    expect(replies[0]).toBe(
      "I could not check whether this alert is about you; try again in a minute.",
    );
    expect(status).toBe("open");
  });
});

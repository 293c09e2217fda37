/**
 * The members of a private alert channel read in the pages Slack takes: conversations.members
 * answers invalid_limit to a limit of 1000 or more. Through the real Bolt app, a signed click and
 * the fake Slack Web API.
 */
import { describe, expect, it } from "vitest";
import { registerAlertActions } from "../../src/slack/alerts/actions.js";
import { boltApp } from "./bolt.js";
import { CHANNEL, slackRig } from "./setup.js";

describe("responders by membership of a private alert channel", () => {
  it("the last of 450 members acknowledges: every page asks for under 1000", async () => {
    const r = await slackRig();
    const members = Array.from({ length: 450 }, (_, i) => `U${String(i).padStart(5, "0")}`);
    const last = members[members.length - 1] ?? "";
    r.slack.addUser({ id: last, email: "last@example.com" });
    r.slack.setMembers(CHANNEL, members);
    const b = await boltApp(r, (app, responders) =>
      registerAlertActions(app, r.actionDeps({ responders })),
    );
    const id = r.raise();
    await b.click("alert_acknowledge", last, r.buttonRef(id));
    await r.slack.waitFor(() => r.alerts.get(id)?.status === "acknowledged", 5000, "the ack");
    const calls = r.slack.callsTo("conversations.members");
    expect(calls.length).toBeGreaterThan(1);
    for (const call of calls) expect(Number(call.params.limit)).toBeLessThan(1000);
  });
});

/**
 * A click's private reply that its response URL does not take (expired, used up): said in the
 * log with whose and which click, never with the URL. Real Bolt on 127.0.0.1, signed clicks,
 * the fake Slack, a real SQLite file.
 */
import { describe, expect, it } from "vitest";
import { registerAlertActions } from "../../../src/slack/alerts/actions.js";
import { RESPOND_ROUTE } from "../../fakes/slack-api.js";
import { until } from "../../helpers/until.js";
import { boltApp } from "../bolt.js";
import { CHANNEL, slackRig } from "../setup.js";

describe("a click whose reply the response URL refuses", () => {
  it("logs once whose reply to which click was lost, and Slack's status, not the URL", async () => {
    const r = await slackRig();
    r.slack.setMembers(CHANNEL, ["URESP"]);
    r.slack.addUser({ id: "UOUTSIDER" });
    const bolt = await boltApp(r, (app, people) =>
      registerAlertActions(app, r.actionDeps({ responders: people })),
    );
    const id = r.raise();
    await r.poster.drain();
    r.slack.failNext(RESPOND_ROUTE, { error: "expired_url" });
    const click = await bolt.click("alert_acknowledge", "UOUTSIDER", String(id));
    expect(click.status).toBe(200);
    const lost = () => r.logs.lines().filter((l) => String(l.msg).includes("was lost"));
    await until(() => lost().length > 0, "the lost reply logged");
    expect(lost()).toHaveLength(1);
    expect(lost()[0]).toMatchObject({
      level: 40,
      user: "UOUTSIDER",
      action: "alert_acknowledge",
      status: 404,
      msg: "the reply to UOUTSIDER's click (alert_acknowledge) was lost: Slack answered 404 to its response URL, so they were not told the outcome",
    });
    expect(r.logs.text()).not.toContain("/respond/");
    expect(r.logs.text()).not.toContain("unhandled error");
    expect(r.alerts.get(id)?.status).toBe("open");
  });
});

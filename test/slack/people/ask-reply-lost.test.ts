/**
 * A press of a question's button whose private reply the response URL does not take (expired,
 * used up): said once in the log with whose press it was and Slack's status, never the URL. Real
 * Bolt on 127.0.0.1, signed presses, the fake Slack, a real SQLite file.
 */
import { describe, expect, it } from "vitest";
import { RESPOND_ROUTE } from "../../fakes/slack-api.js";
import { until } from "../../helpers/until.js";
import { ALICE, askRig, firstUse, RESPONDER } from "./ask-rig.js";

describe("a question's button whose reply the response URL refuses", () => {
  it("logs the lost reply once, with whose press and Slack's status, not the URL", async () => {
    const a = await askRig();
    const { id } = await a.postAlert(firstUse("p1@example.com", 1));
    a.slack.failNext(RESPOND_ROUTE, { error: "expired_url" });
    // Someone else than the person asked: refused, privately, on the response URL.
    await a.click("ask_no", RESPONDER, String(id), {
      channel: a.slack.dmChannel(ALICE),
      ts: a.dm()[0]?.ts ?? "",
    });
    const lost = () => a.logs.lines().filter((l) => String(l.msg).includes("an answer was lost"));
    await until(() => lost().length > 0, "the lost reply logged");
    expect(lost()).toHaveLength(1);
    expect(lost()[0]).toMatchObject({ level: 40, user: RESPONDER, asked: "ask_no", status: 404 });
    expect(a.logs.text()).not.toContain("/respond/");
    expect(a.alerts.get(id)?.status).toBe("open");
  });
});

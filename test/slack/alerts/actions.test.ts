import { describe, expect, it } from "vitest";
import { registerAlertActions } from "../../../src/slack/alerts/actions.js";
import { MuteStore } from "../../../src/store/mutes.js";
import { TrailStore } from "../../../src/store/trail.js";
import { T0 } from "../../detect/fixtures.js";
import { actionBody, nowSeconds, postSigned, signSlackRequest } from "../../helpers/slack-sign.js";
import { boltApp, SECRET } from "../bolt.js";
import { CHANNEL, slackRig } from "../setup.js";

const RESPONDER = "URESP";

async function boltRig(responders = "") {
  const r = await slackRig();
  r.slack.setMembers(CHANNEL, [RESPONDER, "UALSO"]);
  for (const id of [RESPONDER, "UALSO", "U0LEAD", "UGROUPIE", "UOUTSIDER"]) r.slack.addUser({ id });
  const { app, url } = await boltApp(
    r,
    (bolt, people) => registerAlertActions(bolt, r.actionDeps({ responders: people })),
    { responders },
  );
  const id = r.raise();
  await r.poster.drain();
  const ts = r.slack.messages(CHANNEL)[0]?.ts ?? "";
  let clicks = 0;
  const click = (actionId: string, user = RESPONDER, value = String(id)) => {
    clicks++;
    return actionBody({
      type: "block_actions",
      team: { id: "T0FAKE", domain: "fake" },
      user: { id: user, username: user, team_id: "T0FAKE" },
      api_app_id: "A0APP",
      token: "legacy-verification-token",
      trigger_id: `trigger-${clicks}`,
      container: { type: "message", message_ts: ts, channel_id: CHANNEL },
      channel: { id: CHANNEL, name: "security" },
      message: { ts, type: "message", text: "alert" },
      response_url: r.slack.responseUrl(`click-${clicks}`),
      actions: [
        {
          type: "button",
          action_id: actionId,
          block_id: `alert_actions_${id}`,
          value,
          action_ts: "1",
        },
      ],
    });
  };
  const trail = new TrailStore(r.db);
  const lastResponse = () => String(r.slack.responses.at(-1)?.body.text ?? "");
  return { ...r, app, url, id, ts, click, trail, lastResponse };
}

describe("alert buttons through the real Bolt app", () => {
  it("a snooze clicked twice, or its request replayed, mutes once and says it once", async () => {
    const b = await boltRig();
    const snooze = actionBody({
      type: "block_actions",
      team: { id: "T0FAKE" },
      user: { id: RESPONDER, username: RESPONDER, team_id: "T0FAKE" },
      api_app_id: "A0APP",
      token: "t",
      trigger_id: "trigger-snooze",
      container: { type: "message", message_ts: b.ts, channel_id: CHANNEL },
      channel: { id: CHANNEL },
      message: { ts: b.ts, type: "message", text: "alert" },
      response_url: b.slack.responseUrl("snooze"),
      actions: [
        {
          type: "overflow",
          action_id: "alert_snooze",
          block_id: `alert_actions_${b.id}`,
          selected_option: { text: { type: "plain_text", text: "24 h" }, value: `${b.id}:24` },
          action_ts: "1",
        },
      ],
    });
    const timestamp = nowSeconds(); // the very same signed request each time
    const snoozes = () =>
      b.trail.history("org-1", b.id).filter((e) => e.note?.startsWith("snoozed"));
    expect((await postSigned(b.url, snooze, SECRET, { timestamp })).status).toBe(200);
    await b.slack.waitFor(() => snoozes().length === 1, 5000, "the snooze");
    for (let i = 0; i < 2; i++) {
      b.clock.advance(1000);
      expect((await postSigned(b.url, snooze, SECRET, { timestamp })).status).toBe(200);
    }
    await b.slack.waitFor(() => b.slack.responses.length >= 2, 5000, "two answers");
    expect(b.lastResponse()).toContain("Nothing changed: these alerts are muted already");
    expect(b.db.prepare("SELECT count(*) AS n FROM mutes").get()).toEqual({ n: 1 });
    expect(snoozes()).toHaveLength(1);
  });

  it("serves /healthz beside /slack/events", async () => {
    const b = await boltRig();
    const response = await fetch(`http://127.0.0.1:${b.app.port}/healthz`);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("a responder's signed click acknowledges: status, trail and the message updated", async () => {
    const b = await boltRig();
    const response = await postSigned(b.url, b.click("alert_acknowledge"), SECRET);
    expect(response.status).toBe(200);
    await b.slack.waitForCalls("chat.update");
    expect(b.alerts.get(b.id)?.status).toBe("acknowledged");
    expect(b.trail.history("org-1", b.id)).toEqual([
      { alertId: b.id, at: T0, actor: RESPONDER, from: "open", to: "acknowledged", note: null },
    ]);
    const update = b.slack.callsTo("chat.update")[0];
    expect(update?.params).toMatchObject({ channel: CHANNEL, ts: b.ts });
    expect(JSON.stringify(update?.params.blocks)).toContain(`Acknowledged by <@${RESPONDER}>`);
    expect(JSON.stringify(update?.params.blocks)).toContain("alert_reopen");
  });

  it("a second click changes nothing and says who handled it", async () => {
    const b = await boltRig();
    await postSigned(b.url, b.click("alert_acknowledge"), SECRET);
    await b.slack.waitForCalls("chat.update");
    await postSigned(b.url, b.click("alert_true_positive", "UALSO"), SECRET);
    await b.slack.waitFor(() => b.slack.responses.length === 1);
    expect(b.lastResponse()).toContain(`already acknowledged by <@${RESPONDER}>`);
    expect(b.trail.history("org-1", b.id)).toHaveLength(1);
    // The message shows it already (the first click's update): it is not drawn again.
    await b.settled();
    await b.poster.drain();
    expect(b.slack.callsTo("chat.update")).toHaveLength(1);
    const shown = JSON.stringify(b.slack.messages(CHANNEL)[0]?.blocks);
    expect(shown).toContain(`Acknowledged by <@${RESPONDER}>`);
    expect(shown).not.toContain("alert_true_positive");
  });

  it("a click on a message that missed its update shows what was recorded", async () => {
    const b = await boltRig();
    // Recorded, but the process stopped before the message was updated.
    b.trail.change("org-1", b.id, "acknowledged", RESPONDER, T0, (s) => s === "open");
    await postSigned(b.url, b.click("alert_expected", "UALSO"), SECRET);
    await b.slack.waitForCalls("chat.update");
    expect(b.lastResponse()).toContain(`already acknowledged by <@${RESPONDER}>`);
    const message = b.slack.messages(CHANNEL)[0];
    expect(JSON.stringify(message?.blocks)).toContain(`Acknowledged by <@${RESPONDER}>`);
    expect(b.trail.history("org-1", b.id)).toHaveLength(1);
  });

  it("undo reopens, and the trail keeps both changes", async () => {
    const b = await boltRig();
    await postSigned(b.url, b.click("alert_expected"), SECRET);
    await b.slack.waitForCalls("chat.update");
    await postSigned(b.url, b.click("alert_reopen"), SECRET);
    await b.slack.waitForCalls("chat.update", 2);
    expect(b.alerts.get(b.id)?.status).toBe("open");
    expect(b.trail.history("org-1", b.id).map((e) => `${e.from}>${e.to}`)).toEqual([
      "open>expected",
      "expected>open",
    ]);
  });

  it("'Expected, mute 7 days' mutes the rule for that person", async () => {
    const b = await boltRig();
    await postSigned(b.url, b.click("alert_expected_mute"), SECRET);
    await b.slack.waitForCalls("chat.update");
    const alert = b.alerts.get(b.id);
    const mutes = new MuteStore(b.db);
    expect(
      mutes.reasonAt("org-1", "mcp-destructive", alert?.userId ?? "", T0 + 6 * 86_400_000),
    ).toBe(`marked expected on alert ${b.id}, muted for 7 days by <@${RESPONDER}>`);
    expect(
      mutes.reasonAt("org-1", "mcp-destructive", alert?.userId ?? "", T0 + 8 * 86_400_000),
    ).toBeUndefined();
  });

  it("'Settings to change' answers the clicker alone with the controls and their paths", async () => {
    const b = await boltRig();
    await postSigned(b.url, b.click("alert_settings"), SECRET);
    await b.slack.waitFor(() => b.slack.responses.length === 1);
    expect(b.slack.responses[0]?.body).toMatchObject({ response_type: "ephemeral" });
    expect(b.lastResponse()).toContain("Rovo → Rovo MCP server → Permissions");
    expect(b.lastResponse()).toContain("https://admin.atlassian.com/o/org-1/");
    expect(b.alerts.get(b.id)?.status).toBe("open");
  });

  it("refuses a click from someone who is not a responder", async () => {
    const b = await boltRig();
    await postSigned(b.url, b.click("alert_acknowledge", "UOUTSIDER"), SECRET);
    await b.slack.waitFor(() => b.slack.responses.length === 1);
    expect(b.lastResponse()).toContain(
      `Only responders can do this. Ask the members of <#${CHANNEL}>`,
    );
    expect(b.alerts.get(b.id)?.status).toBe("open");
    expect(b.trail.history("org-1", b.id)).toEqual([]);
  });

  it("takes responders from SLACK_RESPONDERS users and user groups when set", async () => {
    const b = await boltRig("U0LEAD,S0SECOPS");
    b.slack.setUsergroup("S0SECOPS", ["UGROUPIE"]);
    await postSigned(b.url, b.click("alert_acknowledge", RESPONDER), SECRET);
    await b.slack.waitFor(() => b.slack.responses.length === 1);
    expect(b.lastResponse()).toContain("Ask <@U0LEAD>, <!subteam^S0SECOPS>");
    await postSigned(b.url, b.click("alert_acknowledge", "UGROUPIE"), SECRET);
    await b.slack.waitForCalls("chat.update");
    expect(b.alerts.get(b.id)?.status).toBe("acknowledged");
  });

  it("answers a tampered button value without touching anything", async () => {
    const b = await boltRig();
    for (const value of ["1 OR 1=1", "999999", "-1", ""]) {
      await postSigned(b.url, b.click("alert_acknowledge", RESPONDER, value), SECRET);
    }
    await b.slack.waitFor(() => b.slack.responses.length === 4);
    expect(b.slack.responses.every((r) => String(r.body.text).includes("not known here"))).toBe(
      true,
    );
    expect(b.alerts.get(b.id)?.status).toBe("open");
  });

  describe("forged requests are rejected with no state change", () => {
    type Boltr = Awaited<ReturnType<typeof boltRig>>;
    const status = async (r: Response | { status: number }) => r.status;
    it.each([
      [
        "unsigned",
        401,
        (b: Boltr) =>
          fetch(b.url, {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: b.click("alert_acknowledge"),
          }),
      ],
      [
        "wrongly signed",
        401,
        (b: Boltr) => postSigned(b.url, b.click("alert_acknowledge"), "not-the-secret"),
      ],
      [
        "stale (over 5 minutes old)",
        401,
        (b: Boltr) =>
          postSigned(b.url, b.click("alert_acknowledge"), SECRET, {
            timestamp: nowSeconds() - 6 * 60,
          }),
      ],
      [
        // Bolt answers an SSL check at once, and must not run the listener of the payload beside it.
        "ssl_check=1 beside a payload, unsigned",
        200,
        (b: Boltr) =>
          fetch(b.url, {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: `ssl_check=1&${b.click("alert_acknowledge")}`,
          }),
      ],
      [
        "a signature of another body",
        401,
        (b: Boltr) => {
          const headers = signSlackRequest(SECRET, "payload=%7B%7D");
          return fetch(b.url, {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
            body: b.click("alert_acknowledge"),
          });
        },
      ],
    ] as const)("%s", async (_label, expected, send) => {
      const b = await boltRig();
      expect(await status(await send(b))).toBe(expected);
      // A genuine click after it: had the forged acknowledgement been taken, this one would
      // change nothing.
      await postSigned(b.url, b.click("alert_true_positive", "UALSO"), SECRET);
      await b.slack.waitForCalls("chat.update");
      expect(b.alerts.get(b.id)?.status).toBe("true_positive");
      expect(b.trail.history("org-1", b.id).map((e) => `${e.actor} ${e.to}`)).toEqual([
        "UALSO true_positive",
      ]);
      expect(b.slack.callsTo("chat.update")).toHaveLength(1);
      expect(b.slack.responses).toHaveLength(0);
    });
  });
});

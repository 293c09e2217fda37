/**
 * Commands and clicks none of the app's listeners take (the command renamed in the Slack app's
 * settings, a button of a message another version posted): answered at once, and said once per
 * name in the log with what to fix; the app's own command and buttons answered once, as before.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ACTIONS } from "../../src/slack/blocks/alert-actions.js";
import { ASK_ACTIONS } from "../../src/slack/blocks/ask.js";
import { ATTEST_ACTIONS } from "../../src/slack/blocks/attestation.js";
import { HOME_ACTIONS } from "../../src/slack/blocks/home-person.js";
import { QUERY_ACTIONS } from "../../src/slack/blocks/query.js";
import { OTHER_COMMAND, UNTAKEN_ACTION } from "../../src/slack/unanswered.js";
import { sendCommand } from "../fakes/slack-command.js";
import { type FakeSocket, startFakeSocket } from "../fakes/slack-socket.js";
import { healthzUntil } from "../helpers/health.js";
import { actionBody, postSigned } from "../helpers/slack-sign.js";
import { until } from "../helpers/until.js";
import { CHANNEL, closeHttpRig, httpRig, RESPONDER, SECRET } from "./http-rig.js";
import { closeSocketRig, type SocketSection, socketRig } from "./socket-rig.js";

let socket: FakeSocket | undefined;
afterEach(async () => {
  await closeHttpRig();
  await closeSocketRig();
  await socket?.close();
  socket = undefined;
});

type Rig = Awaited<ReturnType<typeof httpRig>>;

const RENAMED =
  "This app answers /mcp-activity, not /ai-activity: ask whoever runs it to rename the command back to /mcp-activity in the Slack app's settings (Slash Commands, as in its manifest.yml).";

/** A signed click on `actionId` in a message of the alert channel; `id` names its response URL. */
const click = (r: Rig, actionId: string, id: string, value = "x") =>
  postSigned(
    r.url,
    actionBody({
      type: "block_actions",
      team: { id: "T0FAKE" },
      user: { id: RESPONDER, username: "lead", team_id: "T0FAKE" },
      api_app_id: "A0APP",
      token: "t",
      trigger_id: `t-${id}`,
      container: { type: "message", message_ts: "1.000001", channel_id: CHANNEL },
      channel: { id: CHANNEL },
      message: { ts: "1.000001", type: "message", text: "" },
      response_url: r.slack.responseUrl(id),
      actions: [{ type: "button", action_id: actionId, block_id: "b", value, action_ts: "1" }],
    }),
    SECRET,
  );

/** What the log says at warn and above. */
const warned = (r: Rig) =>
  r.logs
    .lines()
    .filter((l) => Number(l.level) >= 40)
    .map((l) => String(l.msg));

describe("a command the app does not answer", () => {
  it("is refused at once, to the person, and said once in the log with the manifest's fix", async () => {
    const r = await httpRig();
    const command = {
      command: "/ai-activity",
      text: "status",
      user_id: RESPONDER,
      team_id: "T0FAKE",
      channel_id: CHANNEL,
    };
    const first = await sendCommand(r.slack, r.url, SECRET, "renamed-1", command);
    const second = await sendCommand(r.slack, r.url, SECRET, "renamed-2", command);
    expect([first.status, second.status]).toEqual([200, 200]);
    for (const id of ["renamed-1", "renamed-2"])
      expect(r.slack.responses.find((x) => x.id === id)?.body).toMatchObject({
        response_type: "ephemeral",
        text: RENAMED,
      });
    expect(warned(r)).toEqual([
      "Slack sent the command /ai-activity, which this app does not answer: it answers /mcp-activity only. Rename the command back to /mcp-activity in the Slack app's settings (Slash Commands; features.slash_commands in manifest.yml); the person was told to ask you",
    ]);
  }, 20_000);

  it("leaves /mcp-activity to its own listener: answered once, the catch-all silent", async () => {
    const r = await httpRig();
    const asked = await sendCommand(r.slack, r.url, SECRET, "help-1", {
      text: "help",
      user_id: RESPONDER,
      team_id: "T0FAKE",
      channel_id: CHANNEL,
    });
    expect(asked.status).toBe(200);
    const replies = r.slack.responses.filter((x) => x.id === "help-1");
    expect(replies).toHaveLength(1);
    expect(JSON.stringify(replies[0]?.body)).not.toContain("This app answers");
    expect(r.logs.text()).not.toContain("ack() has already been called");
    expect(warned(r)).toEqual([]);
  }, 20_000);

  it("is refused in Socket Mode too, in the envelope's acknowledgement", async () => {
    socket = await startFakeSocket();
    const rig = await socketRig(socket.url);
    await healthzUntil<SocketSection>(
      rig.port,
      (h) => h.body.slack.socketMode?.connected === true,
      "up",
    );
    socket.send({
      type: "slash_commands",
      envelope_id: "cmd-renamed",
      accepts_response_payload: true,
      payload: {
        team_id: "T0FAKE",
        channel_id: "C0SEC",
        user_id: "U0LEAD",
        command: "/ai-activity",
        text: "status",
        response_url: rig.slack.responseUrl("cmd-renamed"),
        trigger_id: "t",
      },
    });
    await until(
      () => socket?.acks.some((a) => a.envelope_id === "cmd-renamed") ?? false,
      "the ack",
    );
    expect(socket.acks.find((a) => a.envelope_id === "cmd-renamed")?.payload).toEqual({
      response_type: "ephemeral",
      text: RENAMED,
    });
    expect(rig.logs.text()).toContain("Slack sent the command /ai-activity");
  }, 20_000);
});

describe("a click no listener takes", () => {
  it("is acknowledged at once and said once per action id; the app's own buttons are answered once", async () => {
    const r = await httpRig();
    expect((await click(r, "old_button", "old-1")).status).toBe(200);
    expect((await click(r, "old_button", "old-2")).status).toBe(200);
    // The app's own button, with a value it cannot read: its listener answers, alone.
    expect((await click(r, "query_more", "more-1", "not json")).status).toBe(200);
    await r.slack.waitFor(() => r.slack.responses.some((x) => x.id === "more-1"), 5000, "reply");
    expect(r.slack.responses.find((x) => x.id === "more-1")?.body.text).toBe(
      "That button has expired; ask again.",
    );
    expect(warned(r)).toEqual([
      "a click on old_button, which this version of the app has no listener for (a message posted by another version, or another app's blocks), was acknowledged and nothing was done",
      "a query button with a value that does not parse",
    ]);
    expect(r.logs.text()).not.toContain("ack() has already been called");
  }, 20_000);
});

describe("a request nothing acknowledges (HTTP mode)", () => {
  it("is said in the operator's words, not Bolt's words to the developer", async () => {
    const r = await httpRig();
    // A global shortcut: the manifest declares none, so no listener takes it.
    const sent = await postSigned(
      r.url,
      actionBody({
        type: "shortcut",
        callback_id: "old_shortcut",
        trigger_id: "t-shortcut",
        team: { id: "T0FAKE" },
        user: { id: RESPONDER, username: "lead", team_id: "T0FAKE" },
        token: "t",
        action_ts: "1",
      }),
      SECRET,
    );
    expect(sent.status).toBe(404);
    expect(warned(r)).toEqual([
      "a request from Slack got no answer within 3 s, so Slack showed the person a failure: either nothing in this app takes it (a shortcut or other feature not in manifest.yml: compare the Slack app's settings with it) or its answer came too late (this machine was too slow, or Slack's Web API slow to say who the bot is: auth.test)",
    ]);
  }, 20_000);
});

describe("the catch-all's patterns", () => {
  it("leave out every command and action id the app's listeners take, and only those", () => {
    const own = [ACTIONS, QUERY_ACTIONS, HOME_ACTIONS, ATTEST_ACTIONS, ASK_ACTIONS].flatMap((ids) =>
      Object.values(ids),
    );
    for (const id of own) expect(UNTAKEN_ACTION.test(id), id).toBe(false);
    for (const id of ["old_button", "query_more_2", "xhome_not_me"])
      expect(UNTAKEN_ACTION.test(id), id).toBe(true);
    expect(OTHER_COMMAND.test("/mcp-activity")).toBe(false);
    for (const name of ["/ai-activity", "/mcp-activity2", "/mcp"])
      expect(OTHER_COMMAND.test(name), name).toBe(true);
  });
});

describe("the app's own action listeners", () => {
  it("are those whose ids the catch-all leaves out (a new one adds its ids to unanswered.ts)", () => {
    // Where the app listens to clicks, and to which ids: alert_* (alerts/actions.ts), the
    // query's, the Home's and, through onIdButton, the questions' and weekly checks'.
    const listening = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) return listening(path);
        const found = readFileSync(path, "utf8").match(/\bapp\.action\s*[<(]/g) ?? [];
        return found.map(() => relative("src", path));
      });
    expect(listening("src").sort()).toEqual([
      "slack/alerts/actions.ts",
      "slack/alerts/actions.ts",
      "slack/commands/slash-command.ts",
      "slack/home/home-actions.ts",
      "slack/id-button.ts",
      "slack/unanswered.ts",
    ]);
  });
});

/** An error a listener lets through, after its request was acknowledged: said once, in our words. */
import { afterEach, describe, expect, it } from "vitest";
import { registerCommand } from "../../src/slack/commands/slash-command.js";
import { type FakeSocket, startFakeSocket } from "../fakes/slack-socket.js";
import { healthzUntil } from "../helpers/health.js";
import { until } from "../helpers/until.js";
import { boltApp } from "./bolt.js";
import { slackRig } from "./setup.js";
import { closeSocketRig, type SocketSection, socketRig } from "./socket-rig.js";

let socket: FakeSocket | undefined;
afterEach(async () => {
  await closeSocketRig();
  await socket?.close();
  socket = undefined;
});

describe("an error a listener lets through", () => {
  it("is logged once by the app, with its cause, not only as Bolt's unhandled error", async () => {
    const r = await slackRig();
    const b = await boltApp(r, (app) =>
      app.command("/mcp-activity", async ({ ack }) => {
        await ack();
        throw Object.assign(new Error("the disk is full"), { code: "SQLITE_FULL" });
      }),
    );
    expect((await b.command("help", "UALICE")).status).toBe(200);
    const said = () => r.logs.lines().filter((l) => (l.level as number) >= 40);
    await until(() => said().length > 0, "the failure logged");
    expect(said()).toEqual([
      expect.objectContaining({
        level: 50,
        code: "SQLITE_FULL",
        msg: "a request from Slack failed after it was taken; the person may have seen no answer",
        err: expect.objectContaining({ message: "the disk is full" }),
      }),
    ]);
    expect(r.logs.text()).toContain("An unhandled error occurred after ack()"); // at debug
  });
});

describe("a command while the bot cannot ask Slack who it is", () => {
  it("tells the person, over HTTP, that the bot's token was refused", async () => {
    const r = await slackRig();
    const b = await boltApp(r, (app, responders) =>
      registerCommand(app, r.commandDeps({ responders })),
    );
    r.slack.failNext("auth.test", { error: "token_revoked" });
    const sent = await b.command("help", "UALICE");
    expect(sent.status).toBe(200);
    expect(await sent.body()).toEqual({
      response_type: "ephemeral",
      replace_original: false,
      text: "mcp-activity could not answer: Slack refused the bot's token, so nothing was done. Tell whoever runs it (SLACK_BOT_TOKEN needs replacing).",
    });
    // The next request asks again, and is answered.
    expect(await (await b.command("help", "UALICE")).reply()).toContain("/mcp-activity");
  });

  it("tells the person in Socket Mode, where the envelope is acknowledged empty", async () => {
    socket = await startFakeSocket();
    // Slack's Web API down from the start: the app's own look-up at start fails too.
    const rig = await socketRig(socket.url, {
      before: (slack) => slack.failNext("auth.test", { status: 503 }, 1000),
    });
    await healthzUntil<SocketSection>(
      rig.port,
      (h) => h.body.slack.socketMode?.connected === true,
      "up",
    );
    socket.send({
      type: "slash_commands",
      envelope_id: "cmd-1",
      accepts_response_payload: true,
      payload: {
        team_id: "T0FAKE",
        channel_id: "C0SEC",
        user_id: "U0LEAD",
        command: "/mcp-activity",
        text: "help",
        response_url: rig.slack.responseUrl("cmd-1"),
        trigger_id: "t",
      },
    });
    await rig.slack.waitFor(
      () => rig.slack.responses.some((x) => x.id === "cmd-1"),
      10_000,
      "the answer",
    );
    expect(rig.slack.responses.find((x) => x.id === "cmd-1")?.body.text).toBe(
      "mcp-activity could not answer: it could not reach Slack to check who it is, so nothing was done. Try again in a minute; if it keeps happening, tell whoever runs it.",
    );
    await until(() => socket?.acks.some((a) => a.envelope_id === "cmd-1") ?? false, "the ack");
  }, 30_000);
});

import { request } from "node:http";
import type { App } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { registerAlertActions } from "../../src/slack/alerts/actions.js";
import { registerCommand } from "../../src/slack/commands/slash-command.js";
import { sendCommand } from "../fakes/slack-command.js";
import { closeAfterTest } from "../helpers/cleanup.js";
import { commandBody, nowSeconds, signSlackRequest } from "../helpers/slack-sign.js";
import { SECRET as BOLT_SECRET, boltApp } from "./bolt.js";
import { closeHttpRig, httpRig, RESPONDER as LEAD, SECRET } from "./http-rig.js";
import { CHANNEL, slackRig } from "./setup.js";

/**
 * Slack waits 3 s for a request's acknowledgement; Bolt asks Slack who the bot is (auth.test,
 * `authorize`) before any listener runs. A slow auth.test (the first request after a start, a
 * cold connection to slack.com), or a stall of this machine before the listener, must not lose
 * the answer: real Bolt on 127.0.0.1, signed requests, the fake Slack Web API answering late.
 */
const RESPONDER = "URESP";

async function rig(before?: (app: App) => void) {
  const r = await slackRig();
  r.slack.setMembers(CHANNEL, [RESPONDER]);
  r.slack.addUser({ id: RESPONDER });
  const bolt = await boltApp(r, (app, responders) => {
    before?.(app);
    registerCommand(app, r.commandDeps({ responders }));
    registerAlertActions(app, r.actionDeps({ responders }));
  });
  return { r, bolt };
}

const viaResponseUrl = (r: Awaited<ReturnType<typeof slackRig>>) =>
  r.slack.responses.filter((x) => x.via === "response_url");

describe("a request met by a slow auth.test", () => {
  it("a command is answered in its acknowledgement within Slack's 3 s", async () => {
    const { r, bolt } = await rig();
    r.slack.failNext("auth.test", { delayMs: 4000 });
    const started = Date.now();
    const answered = await bolt.command("help", RESPONDER);
    expect(Date.now() - started).toBeLessThan(2500);
    expect(answered.status).toBe(200);
    expect(answered.acknowledgement).toContain("/mcp-activity");
    // auth.test's late answer is kept for the next request.
    await r.slack.waitFor(() => r.slack.callsTo("auth.test").length === 1, 5000, "auth.test");
    expect((await bolt.command("help", RESPONDER)).status).toBe(200);
    expect(r.slack.callsTo("auth.test")).toHaveLength(1);
  }, 15_000);

  it("a command whose answer is slow too is acknowledged in time, its answer posted after", async () => {
    const { r, bolt } = await rig();
    r.slack.failNext("auth.test", { delayMs: 1200 });
    r.slack.failNext("users.info", { delayMs: 2500 }); // who asks: looked up before answering
    const started = Date.now();
    const answered = await bolt.command("user:me since:1d", RESPONDER);
    expect(Date.now() - started).toBeLessThan(2800);
    expect(answered).toMatchObject({ status: 200, acknowledgement: "" });
    expect(await answered.reply()).not.toBe("");
    expect(viaResponseUrl(r)).toHaveLength(1);
  }, 15_000);

  it("a click is taken within Slack's 3 s", async () => {
    const { r, bolt } = await rig();
    const id = r.raise();
    await r.poster.drain();
    const ts = r.slack.messages(CHANNEL)[0]?.ts ?? "";
    r.slack.failNext("auth.test", { delayMs: 4000 });
    const started = Date.now();
    const click = await bolt.click("alert_acknowledge", RESPONDER, String(id), {
      channel: CHANNEL,
      ts,
    });
    expect(Date.now() - started).toBeLessThan(2500);
    expect(click.status).toBe(200);
    await r.slack.waitFor(
      () => r.alerts.get(id)?.status === "acknowledged",
      5000,
      "the alert acknowledged",
    );
    await r.settled();
  }, 15_000);
});

describe("a command held up past Slack's 3 s before its listener runs", () => {
  it("is still answered on its response URL, and the log says why", async () => {
    const { r, bolt } = await rig((app) =>
      app.use(async ({ next }) => {
        await new Promise((resolve) => setTimeout(resolve, 3300));
        await next();
      }),
    );
    const answered = await bolt.command("help", RESPONDER);
    expect(answered.status).toBe(404); // Slack showed the person a failure
    expect(await answered.reply()).toContain("/mcp-activity");
    expect(viaResponseUrl(r)).toHaveLength(1);
    const said = r.logs
      .lines()
      .filter((line) => Number(line.level) >= 40)
      .map((line) => String(line.msg));
    expect(said).toContainEqual(
      expect.stringMatching(/^a command reached its listener after Slack's 3 s .*response URL/),
    );
    expect(said.join("\n")).not.toContain("Cannot write headers");
  }, 15_000);
});

/**
 * A signed command whose body is sent `delayMs` after its headers (a slow link or proxy): Slack's
 * 3 s count from the headers' arrival; Bolt's own timer from the body's. What the app answered in
 * the HTTP response, and after how long.
 */
async function commandBodyLate(url: string, id: string, responseUrl: string, delayMs: number) {
  const body = commandBody({
    command: "/mcp-activity",
    text: "help",
    user_id: RESPONDER,
    user_name: RESPONDER,
    team_id: "T0FAKE",
    channel_id: CHANNEL,
    trigger_id: `t-${id}`,
    response_url: responseUrl,
  });
  const signed = signSlackRequest(BOLT_SECRET, body, nowSeconds());
  const started = Date.now();
  return new Promise<{ status: number; afterMs: number; text: string }>((done, fail) => {
    const req = request(
      url,
      {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "content-length": Buffer.byteLength(body),
          ...signed,
        },
      },
      (res) => {
        let text = "";
        res.on("data", (chunk) => {
          text += chunk;
        });
        res.on("end", () =>
          done({ status: res.statusCode ?? 0, afterMs: Date.now() - started, text }),
        );
      },
    );
    req.on("error", fail);
    req.flushHeaders();
    setTimeout(() => req.end(body), delayMs);
  });
}

describe("a command whose body arrives late after its headers", () => {
  const warned = (r: Awaited<ReturnType<typeof slackRig>>) =>
    r.logs
      .lines()
      .filter((line) => Number(line.level) >= 40)
      .map((line) => String(line.msg));

  it("3.3 s: acknowledged empty, answered on its response URL alone, and the log says why", async () => {
    const { r, bolt } = await rig();
    const answered = await commandBodyLate(bolt.url, "late-1", r.slack.responseUrl("late-1"), 3300);
    expect(answered.afterMs).toBeGreaterThan(3000);
    // Bolt's timer counts from the body: it still sends the acknowledgement, which Slack no longer reads.
    expect(answered).toMatchObject({ status: 200, text: "" });
    await r.slack.waitFor(() => viaResponseUrl(r).length === 1, 5000, "the answer");
    expect(String(viaResponseUrl(r)[0]?.body.text)).toContain("/mcp-activity");
    expect(warned(r)).toContainEqual(
      expect.stringMatching(/^a command reached its listener after Slack's 3 s .*response URL/),
    );
  }, 15_000);

  it("2.7 s: too near Slack's 3 s to answer in the acknowledgement, answered on its response URL", async () => {
    const { r, bolt } = await rig();
    const answered = await commandBodyLate(bolt.url, "late-2", r.slack.responseUrl("late-2"), 2700);
    expect(answered).toMatchObject({ status: 200, text: "" });
    await r.slack.waitFor(() => viaResponseUrl(r).length === 1, 5000, "the answer");
    expect(String(viaResponseUrl(r)[0]?.body.text)).toContain("/mcp-activity");
    expect(warned(r)).toContainEqual(
      expect.stringMatching(/^a command came too near Slack.s 3 s .*response URL/),
    );
  }, 15_000);
});

describe("the app at start", () => {
  it("asks Slack who the bot is before the first request, which then does not wait for it", async () => {
    const r = await httpRig();
    closeAfterTest(closeHttpRig);
    // The outbox's token check, the directory's, and the one kept for requests.
    await r.slack.waitFor(() => r.slack.callsTo("auth.test").length >= 3, 10_000, "auth.test");
    r.slack.failNext("auth.test", { status: 503 }, 10);
    const answered = await sendCommand(r.slack, r.url, SECRET, "first", {
      text: "help",
      user_id: LEAD,
      team_id: "T0FAKE",
      channel_id: CHANNEL,
    });
    expect(answered.status).toBe(200);
    expect(answered.text).toContain("/mcp-activity");
    expect(r.slack.pendingFaults("auth.test")).toBe(10);
  }, 20_000);
});

/**
 * HTTP mode's stop, through the assembled app: a request from Slack that the stop finds being
 * answered is answered still; a connection that has not given a whole request is cut after 1 s;
 * the whole stop keeps within the CLI's 10 s.
 */
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { SHUTDOWN_LIMIT_MS } from "../../src/commands/lifecycle.js";
import { sendCommand } from "../fakes/slack-command.js";
import { commandBody, nowSeconds, postSigned, signSlackRequest } from "../helpers/slack-sign.js";
import { CHANNEL, closeHttpRig, httpRig, RESPONDER, SECRET } from "./http-rig.js";

afterEach(async () => {
  await closeHttpRig();
});

describe("HTTP mode's stop", () => {
  it("lets a command it finds being answered acknowledge it, its answer given", async () => {
    const r = await httpRig();
    // The start's own lookups over, who asks is looked up slowly: 1.3 s, past the 1 s after
    // which a stop cuts the connections of requests sent in part, within the 2 s a command
    // waits to answer in its acknowledgement (on a loaded machine, the answer may miss them
    // and go to the response URL after an empty acknowledgement, later still).
    await r.slack.waitForCalls("auth.test");
    await r.slack.idle();
    r.slack.failNext("users.info", { delayMs: 1300 }, 1, (params) => params.user === RESPONDER);
    const answered = sendCommand(r.slack, r.url, SECRET, "in-flight", {
      text: "user:me since:1d",
      user_id: RESPONDER,
      team_id: "T0FAKE",
      channel_id: CHANNEL,
    });
    const acknowledgedAt = answered.then(() => Date.now());
    acknowledgedAt.catch(() => undefined); // met after the stop, below
    await r.slack.waitFor(
      () => r.slack.callsTo("users.info").some((call) => call.params.user === RESPONDER),
      5000,
      "the asker looked up",
    );
    await closeHttpRig(); // SIGTERM
    const stoppedAt = Date.now();
    expect((await answered).status).toBe(200);
    const answers = r.slack.responses.filter((x) => x.id === "in-flight");
    expect(answers).toHaveLength(1);
    expect(answers[0]?.body.text).toMatch(/MCP calls/);
    // Its connection, kept alive, is closed once answered, not left to hold the stop.
    expect(stoppedAt - (await acknowledgedAt)).toBeLessThan(1_000);
  }, 30_000);

  it("cuts after 1 s a connection that sent part of a request's head", async () => {
    const { port } = await httpRig();
    const held = connect(port, "127.0.0.1");
    held.on("error", () => undefined);
    held.write("POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Le");
    await new Promise((resolve) => held.once("ready", resolve));
    const started = Date.now();
    await closeHttpRig();
    held.destroy();
    // Well before Bolt's 3 s, after which a stop cuts every connection.
    expect(Date.now() - started).toBeLessThan(2_500);
  }, 30_000);

  it("cuts after 1 s a request sent in part behind one being answered on its connection", async () => {
    const r = await httpRig();
    await r.slack.waitForCalls("auth.test");
    await r.slack.idle();
    r.slack.failNext("users.info", { delayMs: 1300 }, 1, (params) => params.user === RESPONDER);
    const body = commandBody({
      command: "/mcp-activity",
      text: "user:me since:1d",
      user_id: RESPONDER,
      team_id: "T0FAKE",
      channel_id: CHANNEL,
      trigger_id: "t-pipelined",
      response_url: r.slack.responseUrl("pipelined"),
    });
    const head = [
      "POST /slack/events HTTP/1.1",
      "Host: x",
      "Content-Type: application/x-www-form-urlencoded",
      `Content-Length: ${Buffer.byteLength(body)}`,
      ...Object.entries(signSlackRequest(SECRET, body, nowSeconds())).map(([k, v]) => `${k}: ${v}`),
    ].join("\r\n");
    const held = connect(r.port, "127.0.0.1");
    held.on("error", () => undefined);
    let got = "";
    held.on("data", (d) => {
      got += String(d);
    });
    const closed = new Promise((resolve) => held.once("close", resolve));
    // A whole command then, pipelined on the same connection, the start of a request that never
    // comes whole.
    held.write(`${head}\r\n\r\n${body}POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Le`);
    await r.slack.waitFor(
      () => r.slack.callsTo("users.info").some((call) => call.params.user === RESPONDER),
      5000,
      "the asker looked up",
    );
    const started = Date.now();
    await closeHttpRig();
    const took = Date.now() - started;
    await closed; // what the server sent read to the end
    expect(got).toMatch(/^HTTP\/1\.1 200/);
    expect(got).toMatch(/^connection: close\r$/im);
    // Closed once the command is answered (1.3 s), not held to Bolt's 3 s, after which a stop
    // cuts every connection.
    expect(took).toBeLessThan(2_500);
  }, 30_000);

  it("keeps within the 10 s a post given up after 8 s, refusing a request sent meanwhile", async () => {
    const soon = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const r = await httpRig({
      env: { ATLASSIAN_API_KEY_EXPIRES: soon }, // a notice to post
      // Slack takes 30 s over it: the client gives it up after 8 s.
      faults: (slack) => slack.failNext("chat.postMessage", { delayMs: 30_000 }),
    });
    await r.slack.waitForCalls("chat.postMessage", 1, 15_000);
    const started = Date.now();
    const stopped = closeHttpRig().then(() => Date.now() - started); // SIGTERM, the post in flight
    // Late in the workers' stop, a global shortcut nothing in the app takes (Bolt would answer it
    // itself after 3 s, holding its connection that long).
    await new Promise((resolve) => setTimeout(resolve, 7_500));
    const shortcut = JSON.stringify({
      type: "shortcut",
      callback_id: "not_ours",
      trigger_id: "t-late",
      team: { id: "T0FAKE" },
      user: { id: RESPONDER },
    });
    const late = postSigned(r.url, `payload=${encodeURIComponent(shortcut)}`, SECRET).then(
      () => "answered",
      () => "refused",
    );
    expect(await stopped).toBeLessThan(SHUTDOWN_LIMIT_MS);
    expect(await late).toBe("refused"); // the port closed as the stop began
  }, 60_000);
});

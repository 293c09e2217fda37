/**
 * After links Slack closed soon after its hello, the next one counts as up (for /healthz) only
 * once it has held for a minute. Slack's real client, the fake Web API and a scripted WebSocket
 * end on 127.0.0.1; the connection's wait for a link to hold ends when the test says.
 */
import { SocketModeReceiver } from "@slack/bolt";
import { afterEach, describe, expect, it } from "vitest";
import { type Clock, systemClock } from "../../src/clock.js";
import { slackLogger, webClientOptions } from "../../src/slack/client.js";
import { SocketConnection } from "../../src/slack/socket-connection.js";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-api.js";
import { capturedLogger } from "../helpers/logs.js";
import { until } from "../helpers/until.js";
import { closeSocketRig, HELLO, scriptedSocket } from "./socket-rig.js";

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await closeSocketRig();
});

/** Backoffs a hundred times faster than real time; the minute a link must hold, until `held`. */
function heldWhenTold() {
  const waiting: (() => void)[] = [];
  const clock: Clock = {
    now: systemClock.now,
    sleep: (ms, signal) =>
      ms === 60_000
        ? new Promise<void>((resolve) => {
            waiting.push(resolve);
            signal?.addEventListener("abort", () => resolve());
          })
        : systemClock.sleep(ms / 100, signal),
  };
  const held = () => {
    for (const resolve of waiting.splice(0)) resolve();
  };
  return { clock, waiting, held };
}

describe("Socket Mode after quick drops", () => {
  it("keeps the link down, since the outage began and with its reason, until it has held", async () => {
    const end = await scriptedSocket((ws, n) => {
      ws.send(HELLO);
      if (n === 1) ws.send(JSON.stringify({ type: "disconnect", reason: "link_disabled" }));
    });
    const slack: FakeSlack = await startFakeSlack();
    closers.push(() => slack.close());
    slack.socketUrl = end.url;
    const logs = capturedLogger("debug");
    const receiver = new SocketModeReceiver({
      appToken: "xapp-s",
      logger: slackLogger(logs.logger.child({ component: "bolt" })),
      autoReconnectEnabled: false,
      installerOptions: { clientOptions: webClientOptions(slack.url) },
    });
    const time = heldWhenTold();
    const socket = new SocketConnection({
      start: () => receiver.start(),
      client: receiver.client,
      clock: time.clock,
      logger: logs.logger,
    });
    closers.push(() => receiver.stop());
    closers.push(async () => socket.stop());
    const outageBegan = socket.state().since;

    void socket.connect();
    // The second link said hello and waits to hold.
    await until(() => time.waiting.length === 1, "the second link's hello");
    expect(end.opened).toHaveLength(2);
    expect(socket.state()).toEqual({
      connected: false,
      since: outageBegan,
      lastError: expect.stringContaining("Socket Mode is off in the Slack app"),
    });

    time.held();
    await until(() => socket.state().connected, "up once it held");
    expect(socket.state().lastError).toBeNull();
    expect(socket.state().since).toBeGreaterThanOrEqual(end.opened[1] ?? Number.NaN);
    expect(logs.text()).toContain("the connection has held for a minute");
  }, 30_000);
});

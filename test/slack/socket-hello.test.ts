/**
 * A Socket Mode connection Slack accepts but never greets: Slack's client waits for its hello
 * for ever, so the connection is dropped after HELLO_WITHIN_MS and tried again. Slack's real
 * client, the fake Web API and a scripted WebSocket end on 127.0.0.1; the connection's clock runs
 * a hundred times faster than real time.
 */
import type { AddressInfo } from "node:net";
import { SocketModeReceiver } from "@slack/bolt";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { type Clock, systemClock } from "../../src/clock.js";
import { slackLogger, webClientOptions } from "../../src/slack/client.js";
import { HELLO_WITHIN_MS, SocketConnection } from "../../src/slack/socket-connection.js";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-api.js";
import { capturedLogger } from "../helpers/logs.js";
import { until } from "../helpers/until.js";

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const fast: Clock = {
  now: systemClock.now,
  sleep: (ms, signal) => systemClock.sleep(ms / 100, signal),
};

describe("Socket Mode, a connection Slack never greets", () => {
  it("is dropped after HELLO_WITHIN_MS, said, and tried again until Slack says hello", async () => {
    // The first connection is accepted (and answers pings) but never greeted; later ones are.
    const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    let opened = 0;
    let firstClosed = false;
    server.on("connection", (ws) => {
      if (++opened === 1)
        ws.on("close", () => {
          firstClosed = true;
        });
      else
        ws.send(
          JSON.stringify({ type: "hello", num_connections: 1, connection_info: { app_id: "A0" } }),
        );
    });
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          for (const c of server.clients) c.terminate();
          server.close(() => resolve());
        }),
    );
    const slack: FakeSlack = await startFakeSlack();
    closers.push(() => slack.close());
    slack.socketUrl = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/link`;
    const logs = capturedLogger("info");
    const receiver = new SocketModeReceiver({
      appToken: "xapp-s",
      logger: slackLogger(logs.logger.child({ component: "bolt" })),
      autoReconnectEnabled: false,
      installerOptions: { clientOptions: webClientOptions(slack.url) },
    });
    const socket = new SocketConnection({
      start: () => receiver.start(),
      client: receiver.client,
      clock: fast,
      logger: logs.logger,
    });
    closers.push(() => receiver.stop());
    closers.push(async () => socket.stop());

    void socket.connect();
    await until(() => socket.state().connected, "connected through a second connection");
    expect(opened).toBe(2);
    // The server may see the first connection's close after the second one is greeted.
    await until(() => firstClosed, "the first connection closed");
    const said = logs.lines().filter((l) => l.component === "socket-mode");
    expect(said.map((l) => [l.level, l.msg])).toEqual([
      [
        50,
        `Socket Mode could not connect to Slack (no hello from Slack within ${HELLO_WITHIN_MS / 1000} s): /mcp-activity and the buttons get no answer until it does; trying again in 5 s`,
      ],
      [30, "Socket Mode connected to Slack"],
    ]);
  }, 30_000);
});

/**
 * The assembled app in Socket Mode, with Slack's Web API faked on 127.0.0.1 and its WebSocket end
 * scripted connection by connection.
 */
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { type WebSocket, WebSocketServer } from "ws";
import { type RunningApp, startApp } from "../../src/app.js";
import { type Clock, systemClock } from "../../src/clock.js";
import { parseConfig } from "../../src/config.js";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-api.js";
import { capturedLogger } from "../helpers/logs.js";
import { tempDir } from "../helpers/tmp.js";

let sim: Simulator | undefined;
let slack: FakeSlack | undefined;
let app: RunningApp | undefined;
const closers: (() => Promise<void>)[] = [];
/** Stops what the rig started: each test file calls it after each test. */
export async function closeSocketRig(): Promise<void> {
  await app?.stop();
  await sim?.close();
  await slack?.close();
  for (const close of closers.splice(0)) await close();
  app = sim = slack = undefined;
}

export interface SocketSection {
  status: string;
  slack: {
    ok: boolean;
    socketMode?: { connected: boolean; since: string; lastError: string | null };
  };
}

/** Slack's WebSocket end acting on each new connection (the nth, from 1) as `act` says. */
export async function scriptedSocket(act: (ws: WebSocket, n: number) => void) {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const opened: number[] = [];
  server.on("connection", (ws) => {
    opened.push(Date.now());
    act(ws, opened.length);
  });
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const c of server.clients) c.terminate();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/link`,
    /** When each connection opened. */
    opened,
    /** Cuts every connection, as a network drop does. */
    drop: () => {
      for (const c of server.clients) c.terminate();
    },
  };
}

export const HELLO = JSON.stringify({
  type: "hello",
  num_connections: 1,
  connection_info: { app_id: "A0FAKE" },
  debug_info: { host: "fake", approximate_connection_time: 3600 },
});

/** The assembled app in Socket Mode, its WebSocket end at `socketUrl`. */
export async function socketRig(
  socketUrl: string,
  options: { clock?: Clock; level?: "info" | "debug"; before?: (slack: FakeSlack) => void } = {},
) {
  sim = await startSimulator({
    seed: 2,
    orgId: "org-s",
    apiKey: "s-key",
    start: Date.now() - 3_600_000,
  });
  const fake = await startFakeSlack();
  slack = fake;
  fake.setMembers("C0SEC", ["U0LEAD"]);
  fake.socketUrl = socketUrl;
  options.before?.(fake);
  const logs = capturedLogger(options.level ?? "info");
  const running = await startApp({
    config: parseConfig({
      ATLASSIAN_ORG_ID: "org-s",
      ATLASSIAN_API_KEY: "s-key",
      ATLASSIAN_API_BASE_URL: sim.url,
      SLACK_BOT_TOKEN: "xoxb-s",
      SLACK_APP_TOKEN: "xapp-s",
      SLACK_ALERT_CHANNEL: "C0SEC",
      SLACK_API_URL: fake.url,
      PORT: "0",
      DATABASE_PATH: join(tempDir(), "socket.db"),
    }),
    logger: logs.logger,
    clock: options.clock ?? systemClock,
  });
  app = running;
  return { slack: fake, logs, port: running.port };
}

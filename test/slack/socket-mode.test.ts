/**
 * Socket Mode through the assembled app: Slack's Web API and its WebSocket end both faked on
 * 127.0.0.1. A first connection that fails is tried again, and /healthz tells how it stands.
 */
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "../../src/app.js";
import type { Clock } from "../../src/clock.js";
import { systemClock } from "../../src/clock.js";
import { parseConfig } from "../../src/config.js";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-api.js";
import { type FakeSocket, startFakeSocket } from "../fakes/slack-socket.js";
import { healthz, healthzUntil } from "../helpers/health.js";
import { capturedLogger } from "../helpers/logs.js";
import { tempDir } from "../helpers/tmp.js";
import { until } from "../helpers/until.js";

let sim: Simulator | undefined;
let slack: FakeSlack | undefined;
let socket: FakeSocket | undefined;
let app: RunningApp | undefined;
afterEach(async () => {
  await app?.stop();
  await sim?.close();
  await slack?.close();
  await socket?.close();
  app = sim = slack = socket = undefined;
});

interface SocketSection {
  status: string;
  slack: { ok: boolean; socketMode?: { connected: boolean; lastError: string | null } };
}

/** The simulator, fake Slack (Web API and WebSocket end) and the app in Socket Mode on them. */
async function socketRig(
  clock: Clock,
  beforeStart: (slack: FakeSlack) => void = () => undefined,
  level: "info" | "debug" = "info",
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
  const end = await startFakeSocket();
  socket = end;
  fake.socketUrl = end.url;
  beforeStart(fake);
  const logs = capturedLogger(level);
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
    clock,
  });
  app = running;
  return { slack: fake, socket: end, logs, port: running.port };
}

describe("Socket Mode", () => {
  it("tries a failed first connection again, and /healthz says when Slack is out of reach", async () => {
    // A clock that can be moved on, to see past the grace a start is given.
    let ahead = 0;
    const clock: Clock = { now: () => Date.now() + ahead, sleep: systemClock.sleep };
    // Slack (or the network) away at boot: the first apps.connections.open gets no answer.
    const { slack, socket, logs, port } = await socketRig(clock, (fake) =>
      fake.failNext("apps.connections.open", { drop: true }),
    );

    await until(
      () => logs.text().includes("Socket Mode could not connect to Slack"),
      "the failure",
    );
    expect(logs.text()).toContain("trying again in 5 s");
    // Said once, by the app: Bolt's own line for each attempt is not an error of its own.
    const bolts = logs
      .lines()
      .filter((l) => String(l.msg).includes("Failed to retrieve a new WSS URL"));
    expect(bolts.filter((l) => Number(l.level) >= 40)).toEqual([]);
    const failing = await healthz<SocketSection>(port);
    expect(failing.body.slack.socketMode).toMatchObject({ connected: false });
    expect(failing.body.slack.socketMode?.lastError).not.toBeNull();
    expect(failing.status).toBe(200); // within the grace a start is given
    ahead = 3 * 60_000;
    const down = await healthz<SocketSection>(port);
    expect(down.status).toBe(503);
    expect(down.body.slack.ok).toBe(false);

    // The next attempt gets through: connected, healthy again.
    const up = await healthzUntil<SocketSection>(
      port,
      (h) => h.body.slack.socketMode?.connected === true,
      "the connection",
      15_000,
    );
    expect(up.status).toBe(200);
    expect(up.body.slack).toMatchObject({ ok: true, socketMode: { lastError: null } });
    expect(socket.connections()).toBe(1);
    expect(slack.callsTo("apps.connections.open")).toHaveLength(2);
    expect(logs.text()).toContain("Socket Mode connected to Slack");
  }, 30_000);

  it("connects again after a drop, through a failed attempt, without crashing the process", async () => {
    const { slack, socket, logs, port } = await socketRig(systemClock);
    await healthzUntil<SocketSection>(
      port,
      (h) => h.body.slack.socketMode?.connected === true,
      "up",
    );
    // The network drops, and the first attempt to connect again fails too.
    slack.failNext("apps.connections.open", { drop: true });
    socket.drop();
    await until(() => logs.text().includes("Socket Mode lost its connection"), "the drop");
    await until(() => logs.text().includes("Socket Mode could not connect"), "the failed attempt");
    const up = await healthzUntil<SocketSection>(
      port,
      (h) => h.body.slack.socketMode?.connected === true,
      "connected again",
      15_000,
    );
    expect(up.status).toBe(200);
    expect(socket.connections()).toBe(2);
    expect(slack.callsTo("apps.connections.open")).toHaveLength(3);
  }, 30_000);

  it("keeps what Slack sends and answers out of the log at debug level", async () => {
    const { slack, socket, logs, port } = await socketRig(systemClock, () => undefined, "debug");
    await healthzUntil<SocketSection>(
      port,
      (h) => h.body.slack.socketMode?.connected === true,
      "up",
    );
    slack.addUser({ id: "U0LEAD", email: "lead@example.com" });
    socket.send({
      type: "slash_commands",
      envelope_id: "env-1",
      accepts_response_payload: true,
      payload: {
        token: "VERIFICATION-TOKEN",
        team_id: "T0FAKE",
        channel_id: "C0SEC",
        user_id: "U0LEAD",
        command: "/mcp-activity",
        text: "user:me since:1d",
        response_url: "https://hooks.slack.com/commands/T0/123/CAPABILITY",
        trigger_id: "trigger-1",
      },
    });
    await until(() => logs.lines().some((l) => l.msg === "query"), "the question answered");
    expect(logs.text()).not.toContain("CAPABILITY");
    expect(logs.text()).not.toContain("VERIFICATION-TOKEN");
    expect(logs.text()).not.toContain("lead@example.com");
  }, 30_000);
});

/**
 * Socket Mode through the assembled app: Slack's Web API and its WebSocket end both faked on
 * 127.0.0.1. A first connection that fails is tried again, and /healthz tells how it stands.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Clock } from "../../src/clock.js";
import { systemClock } from "../../src/clock.js";
import type { FakeSlack } from "../fakes/slack-api.js";
import { type FakeSocket, startFakeSocket } from "../fakes/slack-socket.js";
import { parseExposition } from "../helpers/exposition.js";
import { healthz, healthzUntil } from "../helpers/health.js";
import { until } from "../helpers/until.js";
import { closeSocketRig, type SocketSection, socketRig } from "./socket-rig.js";

let socket: FakeSocket | undefined;
afterEach(async () => {
  await closeSocketRig();
  await socket?.close();
  socket = undefined;
});

/** The app in Socket Mode (see socketRig) on a fake WebSocket end that greets each connection. */
async function socketModeRig(
  clock: Clock,
  before: (slack: FakeSlack) => void = () => undefined,
  level: "info" | "debug" = "info",
) {
  const end = await startFakeSocket();
  socket = end;
  return { ...(await socketRig(end.url, { clock, level, before })), socket: end };
}

/** `mcp_activity_slack_socket_up` in one scrape of /metrics; undefined when it has none. */
async function socketUp(port: number): Promise<number | undefined> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return parseExposition(text).families.get("mcp_activity_slack_socket_up")?.samples[0]?.value;
}

describe("Socket Mode", () => {
  it("tries a failed first connection again, and /healthz and /metrics say when Slack is out of reach", async () => {
    // A clock that can be moved on, to see past the grace a start is given.
    let ahead = 0;
    const clock: Clock = { now: () => Date.now() + ahead, sleep: systemClock.sleep };
    // Slack (or the network) away at boot: the first apps.connections.open gets no answer.
    const { slack, socket, logs, port } = await socketModeRig(clock, (fake) =>
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
    expect(await socketUp(port)).toBe(1);
    ahead = 3 * 60_000;
    const down = await healthz<SocketSection>(port);
    expect(down.status).toBe(503);
    expect(down.body.slack.ok).toBe(false);
    // A Prometheus that reads /metrics alone sees it too.
    expect(await socketUp(port)).toBe(0);

    // The next attempt gets through: connected, healthy again.
    const up = await healthzUntil<SocketSection>(
      port,
      (h) => h.body.slack.socketMode?.connected === true,
      "the connection",
      15_000,
    );
    expect(up.status).toBe(200);
    expect(up.body.slack).toMatchObject({ ok: true, socketMode: { lastError: null } });
    expect(await socketUp(port)).toBe(1);
    expect(socket.connections()).toBe(1);
    expect(slack.callsTo("apps.connections.open")).toHaveLength(2);
    expect(logs.text()).toContain("Socket Mode connected to Slack");
  }, 30_000);

  it("connects again after a drop, through a failed attempt, without crashing the process", async () => {
    let ahead = 0;
    const clock: Clock = { now: () => Date.now() + ahead, sleep: systemClock.sleep };
    const { slack, socket, logs, port } = await socketModeRig(clock);
    await healthzUntil<SocketSection>(
      port,
      (h) => h.body.slack.socketMode?.connected === true,
      "up",
    );
    // The link held a minute; then the network drops, and the first attempt to connect again
    // fails too.
    ahead = 61_000;
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
    const { slack, socket, logs, port } = await socketModeRig(
      systemClock,
      () => undefined,
      "debug",
    );
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

import { afterEach, describe, expect, it } from "vitest";
import type { WebSocket } from "ws";
import { type Clock, systemClock } from "../../src/clock.js";
import { healthz, healthzUntil } from "../helpers/health.js";
import { closedPort } from "../helpers/ports.js";
import { until } from "../helpers/until.js";
import {
  closeSocketRig,
  HELLO,
  type SocketSection,
  scriptedSocket,
  socketRig,
} from "./socket-rig.js";

afterEach(closeSocketRig);

/** Rejections nobody handled while `body` runs (Node would end the process on the first). */
async function unhandledDuring(body: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => seen.push(reason);
  process.on("unhandledRejection", listener);
  try {
    await body();
    // A rejection surfaces on a later turn of the event loop.
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off("unhandledRejection", listener);
  }
  return seen;
}

const COULD_NOT = "Socket Mode could not connect to Slack";

describe("Socket Mode, when the connection fails", () => {
  it("keeps running when the WebSocket end refuses the connection (a firewall blocking wss://), and says why", async () => {
    const url = `ws://127.0.0.1:${await closedPort()}/link`;
    let port = 0;
    const unhandled = await unhandledDuring(async () => {
      const rig = await socketRig(url);
      port = rig.port;
      await until(() => rig.logs.text().includes(COULD_NOT), "the failure said");
      // Said once, by the app: the client's own lines for each attempt tell nothing more.
      expect(
        rig.logs
          .lines()
          .filter((l) => Number(l.level) >= 40)
          .map((l) => l.msg),
      ).toEqual([
        `${COULD_NOT} (the WebSocket closed before Slack said hello: check that this machine reaches wss://*.slack.com): /mcp-activity and the buttons get no answer until it does; trying again in 5 s`,
      ]);
    });
    expect(unhandled.map(String)).toEqual([]);
    const h = await healthz<SocketSection>(port);
    expect(h.body.slack.socketMode).toMatchObject({
      connected: false,
      lastError:
        "the WebSocket closed before Slack said hello: check that this machine reaches wss://*.slack.com",
    });
  }, 30_000);

  it("keeps running when a reconnect, after a drop, is closed before Slack's hello", async () => {
    // The first connection is greeted; later ones are closed at once (Slack's end going away
    // during the handshake, a proxy cutting it).
    const end = await scriptedSocket((ws, n) => {
      if (n === 1) ws.send(HELLO);
      else ws.close(1011, "going away");
    });
    const unhandled = await unhandledDuring(async () => {
      const rig = await socketRig(end.url);
      await healthzUntil<SocketSection>(
        rig.port,
        (h) => h.body.slack.socketMode?.connected === true,
        "up",
      );
      end.drop();
      await until(() => rig.logs.text().includes(COULD_NOT), "the failed reconnect said");
    });
    expect(unhandled.map(String)).toEqual([]);
    expect(end.opened).toHaveLength(2);
  }, 30_000);

  it("names SLACK_APP_TOKEN and its scope when Slack refuses the token, once and not per retry", async () => {
    const { slack, logs, port } = await socketRig(`ws://127.0.0.1:${await closedPort()}/link`, {
      level: "debug",
      before: (fake) => fake.failNext("apps.connections.open", { error: "invalid_auth" }, 5),
    });
    const words =
      "SLACK_APP_TOKEN is not valid: generate an app-level token with the connections:write scope (Basic Information → App-Level Tokens)";
    const said = () => logs.lines().filter((l) => String(l.msg).startsWith(COULD_NOT));
    // The second attempt comes 5 s after the first.
    await until(() => said().length >= 2, "two attempts");
    expect(slack.callsTo("apps.connections.open")).toHaveLength(2);
    expect(said().map((l) => [l.level, l.msg])).toEqual([
      [
        50,
        `${COULD_NOT} (${words}): /mcp-activity and the buttons get no answer until it does; trying again in 5 s`,
      ],
      [
        20,
        `${COULD_NOT} (${words}): /mcp-activity and the buttons get no answer until it does; trying again in 10 s`,
      ],
    ]);
    const h = await healthz<SocketSection>(port);
    expect(h.body.slack.socketMode?.lastError).toBe(words);
  }, 30_000);

  it("backs off, says it once and stays down in /healthz when Slack closes each link with link_disabled (Socket Mode off in the app)", async () => {
    let ahead = 0;
    const clock: Clock = { now: () => Date.now() + ahead, sleep: systemClock.sleep };
    // Slack greets each connection, then tells it at once that Socket Mode is off for the app.
    const end = await scriptedSocket((ws) => {
      ws.send(HELLO);
      ws.send(JSON.stringify({ type: "disconnect", reason: "link_disabled" }));
    });
    const { slack, logs, port } = await socketRig(end.url, { clock, level: "debug" });
    // The second link comes 5 s after the first, the third would come 10 s after that.
    await until(() => logs.text().includes("connecting again in 10 s"), "the second drop");
    expect(slack.callsTo("apps.connections.open")).toHaveLength(2);
    const off =
      "Socket Mode is off in the Slack app (Settings → Socket Mode): turn it on, or unset SLACK_APP_TOKEN to receive requests over HTTP";
    const above = (level: number) =>
      logs
        .lines()
        .filter((l) => Number(l.level) >= level && String(l.msg).includes("Socket"))
        .map((l) => l.msg);
    expect(above(40)).toEqual([
      `Socket Mode lost its connection to Slack: ${off}; connecting again in 5 s`,
    ]);
    expect(above(30)).toHaveLength(2); // the first hello, and the warning
    // Down since the start, not since the last hello: past the grace, /healthz fails.
    ahead = 3 * 60_000;
    const h = await healthz<SocketSection>(port);
    expect(h.status).toBe(503);
    expect(h.body.slack.socketMode).toMatchObject({ connected: false, lastError: off });
    expect(Date.parse(h.body.slack.socketMode?.since ?? "")).toBeLessThan(end.opened[0] ?? 0);
  }, 30_000);

  it("stays down in /healthz, with its reason, while a link that follows quick drops has not held (too_many_websockets)", async () => {
    let ahead = 0;
    const clock: Clock = { now: () => Date.now() + ahead, sleep: systemClock.sleep };
    // Slack greets the first link and closes it at once (the app's connections are all taken);
    // it greets the second one and keeps it.
    const end = await scriptedSocket((ws, n) => {
      ws.send(HELLO);
      if (n === 1) ws.send(JSON.stringify({ type: "disconnect", reason: "too_many_websockets" }));
    });
    const { logs, port } = await socketRig(end.url, { clock, level: "debug" });
    const hellos = () =>
      logs.lines().filter((l) => l.msg === "Socket Mode connected to Slack").length;
    await until(() => hellos() === 2, "the second link's hello", 15_000);
    const taken =
      "Slack closed it: too_many_websockets: more than 10 connections are open for this app, so other copies of the bot (or other programs) use the same SLACK_APP_TOKEN: stop them, or revoke the token and generate a new one";
    expect(logs.text()).toContain(`Socket Mode lost its connection to Slack: ${taken}`);
    // Past the grace, down since the start: the second link is not up until it has held a minute.
    ahead = 3 * 60_000;
    const h = await healthz<SocketSection>(port);
    expect(h.body.slack.ok).toBe(false);
    expect(h.body.slack.socketMode).toMatchObject({ connected: false, lastError: taken });
    expect(Date.parse(h.body.slack.socketMode?.since ?? "")).toBeLessThan(end.opened[0] ?? 0);
  }, 30_000);

  it("connects again, quietly, after Slack's disconnect envelope refresh_requested", async () => {
    let ahead = 0;
    const clock: Clock = { now: () => Date.now() + ahead, sleep: systemClock.sleep };
    const links: WebSocket[] = [];
    const end = await scriptedSocket((ws) => {
      links.push(ws);
      ws.send(HELLO);
    });
    const { logs, port } = await socketRig(end.url, { clock });
    await healthzUntil<SocketSection>(
      port,
      (h) => h.body.slack.socketMode?.connected === true,
      "up",
    );
    // Hours later (a minute is enough to have held), Slack asks for a fresh link.
    ahead = 61_000;
    links[0]?.send(JSON.stringify({ type: "disconnect", reason: "refresh_requested" }));
    await until(() => end.opened.length >= 2, "a second connection");
    await healthzUntil<SocketSection>(
      port,
      (h) => h.body.slack.socketMode?.connected === true,
      "up again",
    );
    expect(
      logs.lines().filter((l) => Number(l.level) >= 40 && String(l.msg).includes("Socket")),
    ).toEqual([]);
  }, 30_000);
});

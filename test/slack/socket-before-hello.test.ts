/**
 * Slack's `disconnect` envelope that comes before its hello: Slack refusing a link as it opens
 * (link_disabled when Socket Mode is off for the app, seen in the client's 'connecting' state).
 */
import { afterEach, describe, expect, it } from "vitest";
import { type Clock, systemClock } from "../../src/clock.js";
import { healthz } from "../helpers/health.js";
import { until } from "../helpers/until.js";
import {
  closeSocketRig,
  HELLO,
  type SocketSection,
  scriptedSocket,
  socketRig,
} from "./socket-rig.js";

afterEach(closeSocketRig);

const OFF =
  "Socket Mode is off in the Slack app (Settings → Socket Mode): turn it on, or unset SLACK_APP_TOKEN to receive requests over HTTP";

describe("Slack's disconnect envelope before its hello", () => {
  it("link_disabled before hello is said as Socket Mode off, not as a firewall blocking wss://", async () => {
    const end = await scriptedSocket((ws) => {
      ws.send(JSON.stringify({ type: "disconnect", reason: "link_disabled" }));
    });
    const { logs, port } = await socketRig(end.url);
    await until(
      () => logs.text().includes("Socket Mode could not connect to Slack"),
      "the failure said",
    );
    const h = await healthz<SocketSection>(port);
    // Slack was reached and said why: the advice must be Slack's reason, not the network's.
    expect(h.body.slack.socketMode?.lastError).toBe(OFF);
  }, 30_000);

  it("a link_disabled refused before hello is not blamed, much later, for a network drop of a link that worked", async () => {
    // First link: refused before hello (Socket Mode off); the admin turns it on; the second link
    // is greeted, then the network cuts it.
    const end = await scriptedSocket((ws, n) => {
      if (n === 1) ws.send(JSON.stringify({ type: "disconnect", reason: "link_disabled" }));
      else ws.send(HELLO);
    });
    let ahead = 0;
    const clock: Clock = { now: () => Date.now() + ahead, sleep: systemClock.sleep };
    const { logs, port } = await socketRig(end.url, { clock });
    await until(
      () => end.opened.length >= 2 && logs.text().includes("Socket Mode connected"),
      "up on the second link",
      15_000,
    );
    // The link holds for a day; then the network cuts it (no disconnect envelope at all).
    ahead = 24 * 3_600_000;
    const before = logs.lines().length;
    end.drop();
    await until(
      () =>
        logs
          .lines()
          .slice(before)
          .some((l) => String(l.msg).includes("lost its connection")),
      "the drop said",
    );
    const said = logs
      .lines()
      .slice(before)
      .filter((l) => String(l.msg).includes("lost its connection"))
      .map((l) => String(l.msg));
    expect(
      said.some((m) => m.includes("Socket Mode is off")),
      said.join("\n"),
    ).toBe(false);
    const h = await healthz<SocketSection>(port);
    expect(h.body.slack.socketMode?.lastError ?? null).not.toBe(OFF);
  }, 30_000);
});

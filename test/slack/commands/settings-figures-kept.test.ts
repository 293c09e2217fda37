/**
 * `/mcp-activity settings` reads an organization's figures at most once a minute, and says when
 * they were read. Signed commands through the real Bolt app, figures from a real SQLite file.
 */
import { describe, expect, it, vi } from "vitest";
import { FIGURES_KEPT_MS } from "../../../src/slack/commands/settings-answer.js";
import { EventStore } from "../../../src/store/events.js";
import { MINUTE } from "../../../src/time-units.js";
import { normalizedEvent, T0 } from "../../detect/fixtures.js";
import { CHANNEL } from "../setup.js";
import { commandRig } from "./command-rig.js";

const tokenCall = (id: string, time: number) => {
  const event = normalizedEvent({ id, time, authKind: "api-token" });
  return event;
};

describe("/mcp-activity settings figures", () => {
  it("are read once a minute per organization, the reply saying as of when", async () => {
    const c = await commandRig([{ authKind: "api-token" }]);
    // The store's own reads, counted.
    const stats = vi.spyOn(c.stores.guidanceFigures, "guidanceStats");
    const observed = vi.spyOn(c.stores.guidanceFigures, "observedUse");
    const reads = () => stats.mock.calls.length + observed.mock.calls.length;
    const ask = async () => JSON.stringify(await (await c.command("settings", "URESP")).body());
    const readAt = c.clock.now();
    const first = await ask();
    expect(first).toContain("1 MCP call in the last 7 days used API tokens");
    expect(first).toContain(`Figures as of <!date^${Math.floor(readAt / 1000)}^{time}|`);
    expect(reads()).toBe(2);
    // A call stored and half a minute passed: the same figures, not read again.
    new EventStore(c.db).insertMany([tokenCall("later", T0 + MINUTE)], T0 + MINUTE);
    c.clock.advance(FIGURES_KEPT_MS / 2);
    const again = await ask();
    expect(reads()).toBe(2);
    expect(again).toContain("1 MCP call in the last 7 days used API tokens");
    expect(again).toContain(`Figures as of <!date^${Math.floor(readAt / 1000)}^{time}|`);
    // A topic within the minute reads nothing either.
    expect(await (await c.command("settings api-tokens", "URESP")).reply()).toBeDefined();
    expect(reads()).toBe(2);
    // A minute after they were read: read again, the later call counted.
    c.clock.advance(FIGURES_KEPT_MS / 2);
    expect(await ask()).toContain("2 MCP calls in the last 7 days used API tokens");
    expect(reads()).toBe(4);
  });

  it("asked by two responders at once, are read once and the same for both", async () => {
    const c = await commandRig([{ authKind: "api-token" }]);
    c.slack.setMembers(CHANNEL, ["URESP", "URESP2"]);
    c.slack.addUser({ id: "URESP2", name: "resp2", email: "resp2@example.com", tz: "UTC" });
    // The first read is held until the second responder has asked: it takes turns of the event
    // loop, and a question asked meanwhile must wait for it rather than read again.
    const figures = c.stores.guidanceFigures;
    const read = figures.guidanceStats.bind(figures);
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const stats = vi.spyOn(figures, "guidanceStats").mockImplementation(async (...args) => {
      if (stats.mock.calls.length === 1) await held;
      return read(...args);
    });
    const observed = vi.spyOn(figures, "observedUse");
    const first = c.command("settings", "URESP");
    while (stats.mock.calls.length === 0) await new Promise((resolve) => setImmediate(resolve));
    // Meanwhile a second passes, a poll stores another call, and the second responder asks.
    c.clock.advance(1000);
    new EventStore(c.db).insertMany([tokenCall("meanwhile", T0 + 1000)], T0 + 1000);
    const second = c.command("settings", "URESP2");
    setTimeout(release, 300);
    const [a, b] = await Promise.all([first, second]);
    const [ra, rb] = [JSON.stringify(await a.body()), JSON.stringify(await b.body())];
    expect(stats).toHaveBeenCalledTimes(1);
    expect(observed).toHaveBeenCalledTimes(1);
    const tokens = (reply: string) =>
      /\d+ MCP calls? in the last 7 days used API tokens/.exec(reply)?.[0];
    const asOf = (reply: string) => /Figures as of <!date\^\d+/.exec(reply)?.[0];
    expect(tokens(ra)).toBeDefined();
    expect([tokens(rb), asOf(rb)]).toEqual([tokens(ra), asOf(ra)]);
  });

  it("that could not be read are read again at the next question, not kept", async () => {
    const c = await commandRig([{ authKind: "api-token" }]);
    const stats = vi.spyOn(c.stores.guidanceFigures, "guidanceStats");
    stats.mockRejectedValueOnce(new Error("disk I/O error"));
    const ask = async () => JSON.stringify(await (await c.command("settings", "URESP")).body());
    expect(await ask()).not.toContain("used API tokens");
    expect(await ask()).toContain("1 MCP call in the last 7 days used API tokens");
    expect(stats).toHaveBeenCalledTimes(2);
  });
});

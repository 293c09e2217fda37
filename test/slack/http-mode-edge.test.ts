/**
 * HTTP mode's edge, through the assembled app: what a client that is not Slack can do to it by
 * reaching the port.
 */
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { SHUTDOWN_LIMIT_MS } from "../../src/commands/lifecycle.js";
import { rawGet } from "../helpers/raw-request.js";
import { closeHttpRig, httpRig } from "./http-rig.js";

afterEach(async () => {
  await closeHttpRig();
});

describe("HTTP mode's edge", () => {
  it("stops well within the stop's limit although a client holds a request open, half sent", async () => {
    const { port } = await httpRig();
    // A scanner, or a proxy cut short, that sent part of a request and went quiet.
    const held = connect(port, "127.0.0.1");
    held.on("error", () => undefined);
    held.write("POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc");
    await new Promise((resolve) => held.once("ready", resolve));
    const started = Date.now();
    const stopped = closeHttpRig().then(() => Date.now() - started);
    const took = await Promise.race([
      stopped,
      new Promise<number>((resolve) =>
        setTimeout(() => resolve(SHUTDOWN_LIMIT_MS), SHUTDOWN_LIMIT_MS),
      ),
    ]);
    held.destroy();
    await stopped;
    expect(took).toBeLessThan(SHUTDOWN_LIMIT_MS / 2);
  }, 30_000);

  it("answers 400 to request targets URL cannot read, logging nothing at error level", async () => {
    const { port, logs } = await httpRig();
    for (const target of ["//[", "//:99999", "//["])
      expect(await rawGet(port, target)).toBe("HTTP/1.1 400 Bad Request");
    expect(await rawGet(port, "/healthz")).toMatch(/^HTTP\/1\.1 (200|503)/);
    expect(logs.lines().filter((l) => Number(l.level) >= 50)).toEqual([]);
  }, 30_000);
});

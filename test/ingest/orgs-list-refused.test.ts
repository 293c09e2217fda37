/**
 * The start-up check asks GET /admin/v1/orgs, which polling does not need: a key scoped to the
 * audit log alone (read:events:admin) may be refused there (403) while the stream accepts it.
 * The refusal is warned of, and the stream is read all the same.
 */
import { describe, expect, it, onTestFinished } from "vitest";
import { front } from "../helpers/front.js";
import { MINUTE, rig } from "./setup.js";
import { pollerVia } from "./stream-proxy.js";

const FORBIDDEN = JSON.stringify({
  errors: [{ status: "403", code: "ADMIN-403-3", title: "Forbidden", detail: "not allowed" }],
});

describe("a key the list of organizations refuses but the stream accepts", () => {
  it("is warned of, and the audit log is read", async () => {
    const r = await rig({ hours: 1 });
    let streamAsked = 0;
    const server = await front(r.sim.url, (path) => {
      if (path.includes("/events-stream")) streamAsked++;
      return path.split("?")[0] === "/admin/v1/orgs" ? { status: 403, body: FORBIDDEN } : undefined;
    });
    onTestFinished(server.close);
    const poller = pollerVia(r, server.url);
    const stop = new AbortController();
    onTestFinished(() => stop.abort());
    const running = poller.run(stop.signal);
    // The virtual clock moves at each sleep: wait for three pauses between polls.
    const deadline = Date.now() + 10_000;
    while (r.clock.sleeps.filter((ms) => ms >= MINUTE).length < 3 && Date.now() < deadline)
      await new Promise((ok) => setTimeout(ok, 20));
    stop.abort();
    await running;
    expect(streamAsked).toBeGreaterThan(0);
    expect(r.count()).toBeGreaterThan(0);
    expect(poller.health()).toMatchObject({ healthy: true, keyRejected: false, lastError: null });
    const warned = r.logs
      .lines()
      .filter((l) => String(l.msg).includes("may not list organizations"));
    expect(warned.map((l) => [l.level, l.msg])).toEqual([
      [
        40,
        expect.stringMatching(
          /^GET \/admin\/v1\/orgs answered 403: this key may not list organizations \(one with the read:events:admin scope alone/,
        ),
      ],
    ]);
  });
});

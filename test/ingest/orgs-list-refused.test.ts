/**
 * The start-up check asks GET /admin/v1/orgs, which polling does not need: a key scoped to the
 * audit log alone (read:events:admin) may be refused there (403) while the stream accepts it.
 * The refusal is warned of, and the stream is read all the same.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it, onTestFinished } from "vitest";
import { MINUTE, rig } from "./setup.js";
import { pollerVia } from "./stream-proxy.js";

const FORBIDDEN = JSON.stringify({
  errors: [{ status: "403", code: "ADMIN-403-3", title: "Forbidden", detail: "not allowed" }],
});

describe("a key the list of organizations refuses but the stream accepts", () => {
  it("is warned of, and the audit log is read", async () => {
    const r = await rig({ hours: 1 });
    let streamAsked = 0;
    const server = createServer(async (req, res) => {
      const url = req.url ?? "/";
      if (url.split("?")[0] === "/admin/v1/orgs") {
        res.writeHead(403, { "content-type": "application/json" });
        res.end(FORBIDDEN);
        return;
      }
      if (url.includes("/events-stream")) streamAsked++;
      const answer = await fetch(`${r.sim.url}${url}`, {
        headers: { authorization: String(req.headers.authorization) },
      });
      res.writeHead(answer.status, { "content-type": "application/json" });
      res.end(await answer.text());
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    onTestFinished(
      () =>
        new Promise<void>((ok) => {
          server.closeAllConnections();
          server.close(() => ok());
        }),
    );
    const poller = pollerVia(r, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
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

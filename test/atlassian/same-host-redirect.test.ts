/**
 * The API's own host redirecting within itself (a path moved, a trailing slash added): the key
 * stays on the host it was set for, so nothing is to be refused, and the advice to "set
 * ATLASSIAN_API_BASE_URL to" the address it is already set to helps nobody.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it, onTestFinished } from "vitest";
import { rig } from "../ingest/setup.js";
import { pollerVia } from "../ingest/stream-proxy.js";

/** A front on 127.0.0.1 that sends /events-stream to /events-stream/ on itself, then answers it. */
async function slashFront(simUrl: string): Promise<string> {
  const front = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname.endsWith("/events-stream")) {
      res.writeHead(308, { location: `${url.pathname}/${url.search}` });
      res.end();
      return;
    }
    const path = url.pathname.replace(/\/$/, "");
    fetch(`${simUrl}${path}${url.search}`, {
      headers: { authorization: String(req.headers.authorization ?? "") },
    })
      .then(async (answer) => {
        res.writeHead(answer.status, { "content-type": "application/json" });
        res.end(await answer.text());
      })
      .catch((error: unknown) => {
        res.writeHead(500);
        res.end(String(error));
      });
  });
  await new Promise<void>((ok) => front.listen(0, "127.0.0.1", ok));
  onTestFinished(
    () =>
      new Promise<void>((ok) => {
        front.closeAllConnections();
        front.close(() => ok());
      }),
  );
  return `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
}

describe("a redirect within the API's own host", () => {
  it("is followed with the key (it never leaves that host), and the poll reads the log", async () => {
    const r = await rig({ hours: 1 });
    const base = await slashFront(r.sim.url);
    const poller = pollerVia(r, base);
    const result = await poller.pollOnce();
    expect(result.stored).toBeGreaterThan(0);
  });

  it("is at least not said as 'set ATLASSIAN_API_BASE_URL to' the address it is set to", async () => {
    const r = await rig({ hours: 1 });
    const base = await slashFront(r.sim.url);
    const poller = pollerVia(r, base);
    const error = await poller.pollOnce().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message ?? "").not.toContain(`set ATLASSIAN_API_BASE_URL to it`);
  });
});

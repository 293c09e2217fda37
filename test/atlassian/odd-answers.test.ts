/**
 * Answers that are not the API's: a redirect to another host, a web page with a 200. Each is said
 * as what it is, not as a refused key or as JSON that does not parse.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it, onTestFinished } from "vitest";
import { rig } from "../ingest/setup.js";
import { pollerVia } from "../ingest/stream-proxy.js";

describe("the API address redirecting to another host", () => {
  it("is said to be a redirect to that host, and the key is not sent there", async () => {
    const r = await rig({ hours: 1 });
    const other = new URL(r.sim.url);
    other.hostname = "localhost"; // the same simulator under another origin
    const front = createServer((req, res) => {
      res.writeHead(301, { location: `${other.origin}${req.url ?? "/"}` });
      res.end();
    });
    await new Promise<void>((ok) => front.listen(0, "127.0.0.1", ok));
    onTestFinished(
      () =>
        new Promise<void>((ok) => {
          front.closeAllConnections();
          front.close(() => ok());
        }),
    );
    const poller = pollerVia(r, `http://127.0.0.1:${(front.address() as AddressInfo).port}`);
    await expect(poller.checkAccess()).rejects.toMatchObject({
      kind: "redirected",
      message: `GET /admin/v1/orgs answered 301 to ${other.origin}: set ATLASSIAN_API_BASE_URL to it if it is Atlassian's (the API key is not sent there otherwise)`,
    });
    expect(r.sim.requests).toEqual([]);
  });
});

describe("a 200 answered with an HTML page", () => {
  it("is said to be an HTML page, not JSON, with where to look", async () => {
    const r = await rig({ hours: 1 });
    await r.poller.pollOnce();
    r.sim.injectFault(
      {
        kind: "status",
        status: 200,
        contentType: "text/html; charset=utf-8",
        body: "<!DOCTYPE html><html><head><title>Sign in to continue</title></head><body>Corporate proxy</body></html>",
      },
      { times: 10 },
    );
    const host = new URL(r.sim.url).host;
    await expect(r.poller.pollOnce()).rejects.toMatchObject({
      kind: "bad-response",
      message: `GET /admin/v1/orgs/org-poller/events-stream answered an HTML page (text/html; charset=utf-8), not JSON: a proxy or captive portal between this machine and ${host}?`,
    });
  });
});

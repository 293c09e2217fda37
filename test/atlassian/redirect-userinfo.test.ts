/**
 * A redirect within the API's host whose Location carries credentials (`http://user:pass@host/…`):
 * fetch refuses such an address, so following it would be said as a network failure with the
 * credentials in the message (the log, /healthz). It is said as the redirect it is, not followed.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it, onTestFinished } from "vitest";
import { rig } from "../ingest/setup.js";
import { pollerVia } from "../ingest/stream-proxy.js";

async function front(location: (port: number, path: string) => string): Promise<string> {
  const server = createServer((req, res) => {
    const port = (server.address() as AddressInfo).port;
    res.writeHead(302, { location: location(port, req.url ?? "/") });
    res.end();
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  onTestFinished(
    () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("a redirect to the API's host with userinfo in its Location", () => {
  it("is said as a redirect, not as a network failure carrying the Location's password", async () => {
    const r = await rig({ hours: 1 });
    const base = await front((port, path) => `http://sso-user:hunter2@127.0.0.1:${port}${path}`);
    const poller = pollerVia(r, base);
    const error = await poller.checkAccess().then(
      () => undefined,
      (e: unknown) => e as Error & { kind?: string },
    );
    expect(error?.kind).toBe("redirected");
    expect(error?.message ?? "").not.toContain("hunter2");
  });
});

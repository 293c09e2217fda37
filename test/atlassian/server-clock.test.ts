/** Atlassian's clock, as the Date header of its answers gives it: only answers that are the API's. */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, it } from "vitest";
import { AtlassianClient } from "../../src/atlassian/client.js";
import { Secret } from "../../src/secret.js";
import { HOUR } from "../../src/time-units.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { closeAfterTest } from "../helpers/cleanup.js";
import { capturedLogger } from "../helpers/logs.js";

it("is not taken from an error a proxy answers with a clock of its own", async () => {
  const clock = new VirtualClock();
  const server = createServer((req, res) => {
    // The organizations' list is the API's; the catalogue's address meets a proxy's 502, dated
    // by a clock three hours behind.
    if (req.url?.startsWith("/admin/v1/orgs?") || req.url === "/admin/v1/orgs") {
      res.writeHead(200, {
        "content-type": "application/json",
        date: new Date(clock.now()).toUTCString(),
      });
      res.end(JSON.stringify({ data: [{ id: "org-1", attributes: { name: "Acme" } }] }));
      return;
    }
    res.writeHead(502, { date: new Date(clock.now() - 3 * HOUR).toUTCString() });
    res.end("bad gateway");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closeAfterTest(() => new Promise((resolve) => server.close(resolve)));
  const client = new AtlassianClient({
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    orgId: "org-1",
    apiKey: new Secret("atlassian-key-for-the-server-clock-test"),
    clock,
    logger: capturedLogger().logger,
    random: () => 0.5,
  });
  await client.listOrgs();
  const agreed = client.serverClock.aheadMs;
  expect(agreed).toBeGreaterThanOrEqual(0);
  expect(agreed).toBeLessThanOrEqual(1_000);
  await expect(client.eventActions()).rejects.toMatchObject({ kind: "server" });
  expect(client.serverClock.aheadMs).toBe(agreed);
});

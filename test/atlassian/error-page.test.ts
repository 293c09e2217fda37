/** What the Atlassian API (or a proxy before it) answers with an error is read only as far as its message. */
import { describe, expect, it } from "vitest";
import { AtlassianClient } from "../../src/atlassian/client.js";
import { Secret } from "../../src/secret.js";
import { endlessErrorPage } from "../fakes/endless-error-page.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { capturedLogger } from "../helpers/logs.js";

describe("an error page before the Atlassian API", () => {
  it("is not read whole on each retry: a proxy's endless 502 page does not fill the bot's memory", async () => {
    const page = await endlessErrorPage(502, "<html>bad gateway");
    const client = new AtlassianClient({
      baseUrl: page.url,
      orgId: "org-1",
      apiKey: new Secret("atlassian-key-for-the-error-page-test"),
      clock: new VirtualClock(),
      logger: capturedLogger().logger,
      random: () => 0.5,
    });
    await expect(client.listOrgs()).rejects.toMatchObject({
      kind: "server",
      message: "GET /admin/v1/orgs answered 502",
    });
    // The first attempt and its four retries, each cut short.
    expect(page.taken()).toHaveLength(5);
    // What the sockets' buffers take before the client lets go: megabytes, not the page's 64 MiB.
    for (const bytes of page.taken()) expect(bytes).toBeLessThan(16 * 1024 * 1024);
  });
});

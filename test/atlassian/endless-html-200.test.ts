/**
 * A captive portal or proxy that answers 200 with an endless (or huge) web page: told a web page
 * by its start, it is read only that far, as an error page is, not into memory to the end on each
 * of five attempts until the request's timeout.
 */
import { describe, expect, it } from "vitest";
import { AtlassianClient } from "../../src/atlassian/client.js";
import { Secret } from "../../src/secret.js";
import { endlessErrorPage } from "../fakes/endless-error-page.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { capturedLogger } from "../helpers/logs.js";

describe("a 200 web page that does not end", () => {
  it("is read only as far as telling it is HTML, and said as a web page", async () => {
    const page = await endlessErrorPage(200, "<!DOCTYPE html><html>Sign in to the guest Wi-Fi");
    const client = new AtlassianClient({
      baseUrl: page.url,
      orgId: "org-1",
      apiKey: new Secret("atlassian-key-for-the-endless-html-test"),
      clock: new VirtualClock(),
      logger: capturedLogger().logger,
      random: () => 0.5,
    });
    await expect(client.listOrgs()).rejects.toMatchObject({
      message: expect.stringContaining("answered an HTML page"),
    });
    for (const bytes of page.taken()) expect(bytes).toBeLessThan(16 * 1024 * 1024);
  });
});

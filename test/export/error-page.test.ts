/** What a failing receiver answers is read only as far as the log and /healthz need. */
import { describe, expect, it } from "vitest";
import { ExportClient } from "../../src/export/client.js";
import { Secret } from "../../src/secret.js";
import { endlessErrorPage } from "../fakes/endless-error-page.js";
import { VirtualClock } from "../fakes/virtual-clock.js";

const SECRET = "s3cret-for-the-export-test-0123456789abcdef";

describe("a receiver's error page", () => {
  it("is read to its start, not whole: a proxy's endless page does not fill the bot's memory", async () => {
    const page = await endlessErrorPage(500, "<html>upstream error");
    const client = new ExportClient({
      url: `${page.url}/ingest`,
      secret: new Secret(SECRET),
      clock: new VirtualClock(),
    });
    const delivery = await client.post('{"kind":"mcp_event"}\n');
    expect(delivery.kind).toBe("retry");
    // Its text, as far as it was read, on one bounded line.
    const reason = delivery.kind === "retry" ? delivery.reason : "";
    expect(reason).toMatch(/^the receiver answered 500: upstream error x+…$/);
    expect(reason).toHaveLength("the receiver answered 500: ".length + 200);
    expect(page.taken()).toHaveLength(1);
    // What the sockets' buffers take before the client lets go: megabytes, not the page's 64 MiB.
    for (const bytes of page.taken()) expect(bytes).toBeLessThan(16 * 1024 * 1024);
  });
});

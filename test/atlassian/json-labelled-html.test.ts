/**
 * The audit log's JSON answered with a wrong content type (`text/html`, as some gateways and
 * proxies label what they pass on). The body is the API's JSON page; before the odd-answers change
 * it was read, now every poll fails saying it is "an HTML page ... a proxy or captive portal".
 */
import { describe, expect, it } from "vitest";
import { rig } from "../ingest/setup.js";
import { pollerVia, proxy } from "../ingest/stream-proxy.js";

describe("a page of JSON labelled text/html", () => {
  it("is read as the JSON it is, not refused as a web page", async () => {
    const r = await rig({ hours: 1 });
    const url = await proxy(r.sim.url, async (u, forward) => ({
      ...(await forward(u)),
      headers: { "content-type": "text/html; charset=utf-8" },
    }));
    const poller = pollerVia(r, url);
    const result = await poller.pollOnce();
    expect(result.stored).toBeGreaterThan(0);
  });
});

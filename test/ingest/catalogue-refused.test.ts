/**
 * The action catalogue (/event-actions) refusing the key (401, 403) while the stream accepts it:
 * the catalogue is not needed to read the log. The refusal is warned of once, the stored catalogue
 * and the "mentions MCP" guess are used, and only the stream's own answer says whether the key is
 * rejected.
 */
import { describe, expect, it, onTestFinished } from "vitest";
import type { Poller } from "../../src/ingest/poller.js";
import type { PollerHealth } from "../../src/ingest/poller-options.js";
import { front } from "../helpers/front.js";
import { until } from "../helpers/until.js";
import { rig } from "./setup.js";
import { pollerVia } from "./stream-proxy.js";

const FORBIDDEN = JSON.stringify({
  errors: [{ status: "403", code: "ADMIN-403-3", title: "Forbidden", detail: "not allowed" }],
});

describe("a key the action catalogue refuses but the stream accepts", () => {
  it("is warned of once, and the audit log is read, its MCP calls found by the guess", async () => {
    const r = await rig({ hours: 1 });
    let catalogueAsked = 0;
    const server = await front(r.sim.url, (path) => {
      if (!path.split("?")[0]?.endsWith("/event-actions")) return undefined;
      catalogueAsked++;
      return { status: 403, body: FORBIDDEN };
    });
    onTestFinished(server.close);
    const outcomes: string[] = [];
    const health: PollerHealth[] = [];
    const poller: Poller = pollerVia(r, server.url, {
      onPoll: (outcome) => {
        outcomes.push("kind" in outcome ? outcome.kind : "read");
        health.push(poller.health());
      },
    });
    const stop = new AbortController();
    onTestFinished(() => stop.abort());
    const running = poller.run(stop.signal);
    // Past ten intervals: the catalogue is asked again, and refused again.
    await until(() => outcomes.length >= 12, "12 polls", 20_000, 5);
    stop.abort();
    await running;
    expect(outcomes.slice(0, 12)).toEqual(Array(12).fill("read"));
    expect(health.every((h) => h.healthy && !h.keyRejected && h.lastError === null)).toBe(true);
    expect(r.count()).toBeGreaterThan(0);
    expect(r.count("mcp_basis = 'guessed'")).toBeGreaterThan(0);
    expect(catalogueAsked).toBeGreaterThan(1);
    const said = r.logs.lines().filter((l) => String(l.msg).includes("refused the key"));
    expect(said.map((l) => [l.level, l.msg])).toEqual([
      [
        40,
        expect.stringMatching(
          /^the action catalogue \(\/event-actions\) refused the key \(403\): using the stored one/,
        ),
      ],
    ]);
  });
});

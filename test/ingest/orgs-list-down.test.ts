/**
 * The start-up check asks GET /admin/v1/orgs, which polling does not need. When that list does
 * not answer (a 5xx, a timeout, a 429, an answer of the wrong shape) while the stream does, the
 * audit log is read all the same: the trouble is warned of once, and the list asked again later
 * for the organization's name. An organization the list names on a later page is found there.
 */
import { describe, expect, it, onTestFinished } from "vitest";
import type { Poller } from "../../src/ingest/poller.js";
import type { PollerHealth } from "../../src/ingest/poller-options.js";
import { front, type Intercept } from "../helpers/front.js";
import { until } from "../helpers/until.js";
import { type Rig, rig } from "./setup.js";
import { pollerVia } from "./stream-proxy.js";

const UNAVAILABLE = JSON.stringify({
  errors: [{ status: "503", code: "ADMIN-503", title: "Service Unavailable" }],
});

/** Runs `poller` (stopped when the test ends) until `polls` polls have ended. */
async function runFor(r: Rig, poller: Poller, polls: number, ended: () => number): Promise<void> {
  const stop = new AbortController();
  onTestFinished(() => stop.abort());
  const running = poller.run(stop.signal);
  await until(() => ended() >= polls, `${polls} polls`, 20_000, 5);
  stop.abort();
  await running;
  expect(r.count()).toBeGreaterThan(0);
}

async function through(r: Rig, intercept: Intercept): Promise<string> {
  const server = await front(r.sim.url, intercept);
  onTestFinished(server.close);
  return server.url;
}

describe("the list of organizations not answering while the stream does", () => {
  it("is warned of once, the audit log is read, and the organization's name is learned later", async () => {
    const r = await rig({ hours: 1 });
    let down = true;
    let listAsked = 0;
    const url = await through(r, (path) => {
      if (path.split("?")[0] !== "/admin/v1/orgs") return undefined;
      listAsked++;
      return down ? { status: 503, body: UNAVAILABLE } : undefined;
    });
    const outcomes: string[] = [];
    const health: PollerHealth[] = [];
    const poller: Poller = pollerVia(r, url, {
      onPoll: (outcome) => {
        outcomes.push("kind" in outcome ? outcome.kind : "read");
        health.push(poller.health());
        // The list answers again: asked again within ten polls, for the name.
        if (outcomes.length === 2) down = false;
      },
    });
    await runFor(r, poller, 13, () => outcomes.length);
    expect(outcomes.every((o) => o === "read")).toBe(true);
    expect(health[0]).toMatchObject({ healthy: true, keyRejected: false, lastError: null });
    expect(poller.orgName).toBe("Acme");
    // Asked once at start (with its retries), then once again: not before every poll.
    expect(listAsked).toBe(6);
    const warned = r.logs.lines().filter((l) => String(l.msg).includes("/admin/v1/orgs"));
    // Its first retry (a slow check's health points at the log), then that it is not answered.
    expect(warned.filter((l) => l.level === 40).map((l) => l.msg)).toEqual([
      "GET /admin/v1/orgs answered 503 (ADMIN-503: Service Unavailable); trying again in 1 s (retry 1 of 4; the next ones are logged at debug)",
      expect.stringMatching(
        /^GET \/admin\/v1\/orgs answered 503 \(ADMIN-503: Service Unavailable\): ATLASSIAN_ORG_ID is not checked .*the audit log is read anyway/,
      ),
    ]);
    expect(poller.health()).toMatchObject({ healthy: true, lastError: null });
  });

  it("an organization on the list's second page is found there", async () => {
    const r = await rig({ hours: 1 });
    const url = await through(r, (path) => {
      if (path === "/admin/v1/orgs")
        return {
          status: 200,
          body: JSON.stringify({
            data: [{ id: "org-other", type: "orgs", attributes: { name: "Other" } }],
            links: { next: "?cursor=page-2" },
          }),
        };
      if (path === "/admin/v1/orgs?cursor=page-2")
        return {
          status: 200,
          body: JSON.stringify({
            data: [{ id: r.sim.orgId, type: "orgs", attributes: { name: "Acme" } }],
            links: {},
          }),
        };
      return undefined;
    });
    const outcomes: string[] = [];
    const poller = pollerVia(r, url, {
      onPoll: (outcome) => outcomes.push("kind" in outcome ? outcome.kind : "read"),
    });
    await runFor(r, poller, 2, () => outcomes.length);
    // A third poll may end before the run is stopped: every one read the log.
    expect(outcomes.length).toBeGreaterThanOrEqual(2);
    expect(outcomes.every((o) => o === "read")).toBe(true);
    expect(poller.orgName).toBe("Acme");
    expect(poller.health()).toMatchObject({ healthy: true, lastError: null });
  });
});

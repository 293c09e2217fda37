/**
 * The start-up check asks GET /admin/v1/orgs, which polling does not need: a key scoped to the
 * audit log alone (read:events:admin) may be refused there (403) while the stream accepts it.
 * The refusal is warned of, and the stream is read all the same.
 */
import { describe, expect, it, onTestFinished } from "vitest";
import { repositories } from "../../src/store/repositories.js";
import { front } from "../helpers/front.js";
import { MINUTE, type Rig, rig } from "./setup.js";
import { pollerVia } from "./stream-proxy.js";

const FORBIDDEN = JSON.stringify({
  errors: [{ status: "403", code: "ADMIN-403-3", title: "Forbidden", detail: "not allowed" }],
});

/** A poller whose list of organizations refuses the key, run for three polls; how often it read the stream. */
async function refusedList(r: Rig) {
  let streamAsked = 0;
  const server = await front(r.sim.url, (path) => {
    if (path.includes("/events-stream")) streamAsked++;
    return path.split("?")[0] === "/admin/v1/orgs" ? { status: 403, body: FORBIDDEN } : undefined;
  });
  onTestFinished(server.close);
  const poller = pollerVia(r, server.url);
  const stop = new AbortController();
  onTestFinished(() => stop.abort());
  const running = poller.run(stop.signal);
  // The virtual clock moves at each sleep: wait for three pauses between polls.
  const deadline = Date.now() + 10_000;
  while (r.clock.sleeps.filter((ms) => ms >= MINUTE).length < 3 && Date.now() < deadline)
    await new Promise((ok) => setTimeout(ok, 20));
  stop.abort();
  await running;
  const warned = r.logs.lines().filter((l) => String(l.msg).includes("may not list organizations"));
  return { poller, streamAsked, warned };
}

describe("a key the list of organizations refuses but the stream accepts", () => {
  it("is warned of, and the audit log is read", async () => {
    const r = await rig({ hours: 1 });
    const { poller, streamAsked, warned } = await refusedList(r);
    expect(streamAsked).toBeGreaterThan(0);
    expect(r.count()).toBeGreaterThan(0);
    expect(poller.health()).toMatchObject({ healthy: true, keyRejected: false, lastError: null });
    expect(warned.map((l) => [l.level, l.msg])).toEqual([
      [
        40,
        expect.stringMatching(
          /^GET \/admin\/v1\/orgs answered 403: this key may not list organizations \(one with the read:events:admin scope alone/,
        ),
      ],
    ]);
    // No list ever gave its name.
    expect(warned[0]?.msg).toContain("and the organization's name is not known; ");
  });

  it("says the name a list gave before is used meanwhile, when one was kept", async () => {
    const r = await rig({ hours: 1 });
    repositories(r.db).orgNames.record(r.sim.orgId, "Acme", 0);
    const { poller, warned } = await refusedList(r);
    expect(poller.orgName).toBe("Acme");
    expect(warned.map((l) => l.msg)).toEqual([
      expect.stringContaining(
        "so ATLASSIAN_ORG_ID is not checked against them and the organization's name the list last gave is used meanwhile; the audit log is read anyway",
      ),
    ]);
  });
});

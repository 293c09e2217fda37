/**
 * An organization the access check does not find (a wrong ATLASSIAN_ORG_ID, or a base address
 * whose list of organizations answers 404) is a setting to fix, as a refused key is: the poller
 * is unhealthy at once, not three poll intervals later, and healthy again once the check passes.
 */
import { describe, expect, it, onTestFinished } from "vitest";
import { AtlassianClient } from "../../src/atlassian/client.js";
import { Poller } from "../../src/ingest/poller.js";
import type { PollerHealth } from "../../src/ingest/poller-options.js";
import { Secret } from "../../src/secret.js";
import { repositories } from "../../src/store/repositories.js";
import { until } from "../helpers/until.js";
import { API_KEY, MINUTE, type Rig, rig } from "./setup.js";

/** Runs the poller (stopped when the test ends) until `polls` polls have ended. */
async function runFor(poller: Poller, after: PollerHealth[], polls: number) {
  const stop = new AbortController();
  const running = poller.run(stop.signal);
  onTestFinished(() => stop.abort());
  await until(() => after.length >= polls, `${polls} polls`, 10_000, 5);
  stop.abort();
  await running;
}

describe("an organization the access check does not find", () => {
  it("makes the poller unhealthy at once when the key does not see the organization", async () => {
    const r = await rig({ hours: 1 });
    const after: PollerHealth[] = [];
    const wrong: Poller = new Poller({
      stores: repositories(r.db),
      client: new AtlassianClient({
        baseUrl: r.sim.url,
        orgId: "other-org",
        apiKey: new Secret(API_KEY),
        clock: r.clock,
        logger: r.logs.logger,
      }),
      clock: r.clock,
      logger: r.logs.logger,
      intervalMs: 60 * MINUTE,
      backfillDays: 1,
      onPoll: () => after.push(wrong.health()),
    });
    await runFor(wrong, after, 1);
    expect(after[0]).toMatchObject({
      healthy: false,
      keyRejected: false,
      lastError: { kind: "not-found" },
    });
    expect(after[0]?.lastError?.message).toContain("check ATLASSIAN_ORG_ID");
  });

  it("is healthy again once the access check passes", async () => {
    let r: Rig | undefined;
    const after: PollerHealth[] = [];
    r = await rig({
      hours: 1,
      poller: { onPoll: () => r && after.push(r.poller.health()) },
    });
    // The list of organizations answers 404 once, as under a base address with a path of its own.
    r.sim.injectFault({ kind: "status", status: 404 }, { scope: "any" });
    await runFor(r.poller, after, 2);
    expect(after[0]).toMatchObject({ healthy: false, lastError: { kind: "not-found" } });
    expect(after[0]?.lastError?.message).toContain("check ATLASSIAN_API_BASE_URL");
    expect(after[1]).toMatchObject({ healthy: true, lastError: null });
    expect(r.count()).toBeGreaterThan(0);
  });
});

/**
 * The key refused (401) partway through the first poll's history, then accepted again: reading
 * goes on from the page it stopped at, nothing read twice and nothing lost.
 */
import { describe, expect, it } from "vitest";
import { AtlassianError } from "../../src/atlassian/errors.js";
import { repositories } from "../../src/store/repositories.js";
import { NOW, rig, storedIds, validIds } from "./setup.js";

const UNAUTHORIZED = JSON.stringify({
  errors: [{ status: "401", code: "ADMIN-401-1", title: "Unauthorized" }],
});

describe("the key refused while the history is read", () => {
  it("resumes from the page it stopped at once the key is accepted again", async () => {
    const r = await rig({ hours: 10 });
    // The first page answered, then 401 to every page after.
    r.sim.injectFault({ kind: "delay", ms: 1 });
    r.sim.injectFault(
      { kind: "status", status: 401, body: UNAUTHORIZED, contentType: "application/json" },
      { times: 100 },
    );
    const refused = await r.poller.pollOnce().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(AtlassianError);
    expect((refused as AtlassianError).kind).toBe("auth");
    expect(r.count()).toBe(50);
    const states = repositories(r.db).pollStates;
    expect(states.midBackfill("org-poller")).toBe(true);

    r.sim.clearFaults();
    r.sim.clearRequests();
    const resumed = await r.poller.pollOnce();
    expect(resumed).toMatchObject({ stored: 550, duplicates: 0, backfill: true });
    const first = r.sim.requests.find((q) => q.path.endsWith("/events-stream"));
    // From the cursor kept with the first page, not from the start of the history again.
    expect(first?.query.cursor).toBeTruthy();
    expect(first?.query.from).toBeUndefined();
    expect(states.backfilling("org-poller")).toBe(false);
    expect(storedIds(r.db)).toEqual(validIds(r.sim, NOW));
    expect(r.count()).toBe(600);
  });
});

/**
 * A cursor stuck on a page the poll has already stored: asked the second cursor of a poll, the
 * stream (a caching gateway keyed on the path, a stale replica) answers the page of the first
 * cursor again, naming as next the cursor just asked. Its events are repeats, as at the end of a
 * stream that repeats a few before its cursor; taken for the end, everything after it would never
 * be read while each poll asked the same page again.
 */
import { describe, expect, it } from "vitest";
import { repositories } from "../../src/store/repositories.js";
import { MINUTE, rig, storedIds, validIds } from "./setup.js";
import { nextOf, pollerVia, proxy, withNext } from "./stream-proxy.js";

/** The page of the first cursor asked, served again for the cursor it names as next. */
async function stalePageProxy(simUrl: string) {
  let firstBody: string | undefined;
  let second: string | undefined;
  return proxy(simUrl, async (u, forward) => {
    const cursor = u.searchParams.get("cursor");
    if (cursor && cursor === second && firstBody)
      return { status: 200, body: withNext(firstBody, second) };
    const answer = await forward(u);
    if (cursor && firstBody === undefined) {
      firstBody = answer.body;
      second = nextOf(answer.body);
    }
    return answer;
  });
}

describe("a cursor stuck on a page of events already stored", () => {
  it("is read past by time in the same poll: nothing after it is left unread when the log is claimed read", async () => {
    const r = await rig({ hours: 2 });
    await r.poller.pollOnce(); // the backfill, straight from the simulator
    r.clock.advance(200 * MINUTE); // 200 new events: four pages of 50
    const poller = pollerVia(r, await stalePageProxy(r.sim.url));
    await poller.pollOnce();
    const missing = validIds(r.sim, r.clock.now()).filter((id) => !storedIds(r.db).includes(id));
    expect({ missing, readThrough: poller.readThrough() }).toEqual({
      missing: [],
      readThrough: r.clock.now(),
    });
  });

  it("during the backfill, does not mark it done with most of the history unread", async () => {
    const r = await rig({ hours: 10 }); // 600 events: 12 pages of 50
    const poller = pollerVia(r, await stalePageProxy(r.sim.url));
    await poller.pollOnce(); // by time, then the first cursor, then the stale page
    await poller.pollOnce();
    const missing = validIds(r.sim, r.clock.now()).filter((id) => !storedIds(r.db).includes(id));
    const done = repositories(r.db).pollStates.get(r.sim.orgId)?.backfillDone;
    // Never "done" with history unread; and two polls are enough to read it all.
    expect({ done, missing: missing.length }).toEqual({ done: true, missing: 0 });
  });
});

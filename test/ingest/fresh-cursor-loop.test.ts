/**
 * Cursors that lead on for ever under strings never asked before (an opaque cursor carrying a
 * nonce, say): a proxy on 127.0.0.1 in front of the simulator rewrites its pages; a real SQLite
 * file.
 */
import { describe, expect, it } from "vitest";
import { CursorTrail } from "../../src/ingest/cursor-trail.js";
import { CAPPED } from "../../src/ingest/poller-options.js";
import { MINUTE, NOW, rig, storedIds, validIds } from "./setup.js";
import { pollerVia, proxy, withNext } from "./stream-proxy.js";

const page = (ids: string[], next: string) => ({ items: ids.map((id) => ({ id })), next });

describe("the cursors of one poll, under strings never asked before", () => {
  it("end as a cycle after three pages in a row that bring no event new to the poll", () => {
    const trail = new CursorTrail("A");
    expect(trail.next(page(["1", "2"], "B"))).toBe("B");
    expect(trail.next(page(["2", "3"], "C"))).toBe("C"); // one new: not stale
    expect(trail.next(page(["1", "2"], "D"))).toBe("D");
    expect(trail.next(page(["2", "3"], "E"))).toBe("E");
    expect(trail.cycled).toBe(false);
    expect(trail.next(page(["1", "3"], "F"))).toBeUndefined();
    expect(trail.cycled).toBe(true);
  });

  it("follow pages that bring a new event each, and items told apart by nothing count as new", () => {
    const trail = new CursorTrail(null);
    for (let i = 0; i < 20; i++) expect(trail.next(page([`e${i}`, "same"], `c${i}`))).toBe(`c${i}`);
    for (let i = 0; i < 5; i++) expect(trail.next({ items: [{}], next: `n${i}` })).toBe(`n${i}`);
    expect(trail.cycled).toBe(false);
  });
});

describe("the stream's cursors, new strings each time", () => {
  it("leading back to the same page end the poll, which says so and claims nothing read; the next reads by time", async () => {
    const r = await rig({ hours: 1 });
    let stuck: string | undefined;
    let asked = 0;
    const url = await proxy(r.sim.url, async (u, forward) => {
      if (!u.searchParams.get("cursor") || stuck === undefined) return forward(u);
      asked++;
      // The same page again, naming a next cursor never seen before.
      return { status: 200, body: withNext(stuck, `loop-${asked}`) };
    });
    const poller = pollerVia(r, url);
    await poller.pollOnce(); // the backfill, untouched
    r.clock.advance(5 * MINUTE);
    // The page the stream is stuck on: 30 minutes of events, the last 5 new.
    const from = r.clock.now() - 30 * MINUTE;
    const res = await fetch(
      `${r.sim.url}/admin/v1/orgs/${r.sim.orgId}/events-stream?from=${from}&limit=50`,
      { headers: { authorization: "Bearer poller-test-key" } },
    );
    stuck = await res.text();
    const before = r.count();
    const ended = await Promise.race([
      poller.pollOnce().then(() => "ended"),
      new Promise((resolve) => setTimeout(() => resolve("still polling"), 10_000)),
    ]);
    expect({ ended, asked, added: r.count() - before }).toEqual({
      ended: "ended",
      asked: 4, // the page, then three that bring nothing new
      added: 5,
    });
    expect(r.logs.text()).toContain("the audit log's cursors went round in a cycle");
    expect(poller.readThrough()).toBe(NOW); // the backfill's poll, not this one
    stuck = undefined;
    await poller.pollOnce();
    expect(poller.readThrough()).toBe(r.clock.now());
    expect(validIds(r.sim, NOW + 5 * MINUTE).filter((id) => !storedIds(r.db).includes(id))).toEqual(
      [],
    );
  }, 30_000);

  it("leading on for ever end the poll at its most pages; the next goes on from the last cursor", async () => {
    const r = await rig({ hours: 1 });
    let endless = false;
    const asked: string[] = [];
    const url = await proxy(r.sim.url, async (u, forward) => {
      const cursor = u.searchParams.get("cursor");
      if (!endless || !cursor) return forward(u);
      asked.push(cursor);
      // Each page one event never seen, and a cursor never asked.
      const n = asked.length;
      const at = new Date(NOW - MINUTE).toISOString();
      const event = {
        id: `endless-event-${n}`,
        type: "events",
        attributes: { time: at, processedAt: at, action: "user_logged_in" },
      };
      return {
        status: 200,
        body: withNext(JSON.stringify({ data: [event], meta: {}, links: {} }), `endless-${n}`),
      };
    });
    const poller = pollerVia(r, url, { maxPages: 20 });
    await poller.pollOnce(); // the backfill
    endless = true;
    await poller.pollOnce();
    expect(asked.length).toBe(20);
    expect(r.count("id LIKE 'endless-event-%'")).toBe(20);
    expect(r.logs.text()).toContain(CAPPED);
    expect(poller.readThrough()).toBe(NOW); // the backfill's poll, not this one
    await poller.pollOnce();
    expect(asked[20]).toBe("endless-20");
  }, 30_000);
});

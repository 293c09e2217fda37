/**
 * The poller against cursor behaviours the simulator has no fault for: a proxy on 127.0.0.1 in
 * front of the simulator rewrites its pages; a real SQLite file.
 */
import { describe, expect, it, onTestFinished } from "vitest";
import { CursorTrail } from "../../src/ingest/cursor-trail.js";
import type { Poller } from "../../src/ingest/poller.js";
import { repositories } from "../../src/store/repositories.js";
import { until } from "../helpers/until.js";
import { MINUTE, NOW, type Rig, rig, storedIds, validIds } from "./setup.js";
import { nextOf, pollerVia, proxy, withNext } from "./stream-proxy.js";

const page = (items: number, next?: string) => ({ items: Array(items).fill({}), next });

/** A proxy whose page at the second cursor answers, as next, the first cursor: a cycle. */
async function cyclingProxy(simUrl: string, served: () => void = () => undefined) {
  let a: string | undefined;
  let b: string | undefined;
  return proxy(simUrl, async (u, forward) => {
    served();
    const cursor = u.searchParams.get("cursor");
    const answer = await forward(u);
    if (cursor && a === undefined) {
      a = cursor;
      b = nextOf(answer.body);
      return answer;
    }
    if (cursor !== null && cursor === b && a !== undefined)
      return { ...answer, body: withNext(answer.body, a) };
    return answer;
  });
}

/**
 * The poller running through `url` for `n` polls at least, then stopped: after each poll, how many
 * events the simulator served are not stored, whether the log is read through, the backfill done.
 */
async function runPolls(r: Rig, url: string, n: number) {
  const unread = () => validIds(r.sim, NOW).filter((id) => !storedIds(r.db).includes(id)).length;
  const after: Array<{ unread: number; readThrough: number | null; done?: boolean }> = [];
  const poller: Poller = pollerVia(r, url, {
    onPoll: () =>
      after.push({
        unread: unread(),
        readThrough: poller.readThrough(),
        done: repositories(r.db).pollStates.get(r.sim.orgId)?.backfillDone,
      }),
  });
  const stop = new AbortController();
  onTestFinished(() => stop.abort());
  const running = poller.run(stop.signal);
  await until(() => after.length >= n, `${n} polls`);
  stop.abort();
  await running;
  return after;
}

describe("the cursors of one poll", () => {
  it("follow a moving cursor, end on an empty page whose cursor does not move, and mark a page of events whose cursor does not move", () => {
    const trail = new CursorTrail("A");
    expect(trail.next(page(5, "B"))).toBe("B");
    expect(trail.next(page(5, "C"))).toBe("C");
    expect(trail.next(page(0, "C"))).toBeUndefined(); // the end: the cursor does not move
    expect([trail.cycled, trail.unmoved]).toEqual([false, false]);
    expect(trail.next(page(5, "C"))).toBeUndefined(); // events, and the cursor does not move
    expect([trail.cycled, trail.unmoved]).toEqual([false, true]);
  });

  it("end a cycle of several steps", () => {
    const trail = new CursorTrail("A");
    expect(trail.next(page(5, "B"))).toBe("B");
    expect(trail.next(page(5, "A"))).toBeUndefined(); // asked already this poll
    expect(trail.cycled).toBe(true);
  });

  it("follow empty pages whose cursor moves on, a few in a row at most, then mark the poll cut short", () => {
    const trail = new CursorTrail(null);
    expect(trail.next(page(0, "B"))).toBe("B");
    expect(trail.next(page(0, "C"))).toBe("C");
    expect(trail.emptied).toBe(false);
    expect(trail.next(page(0, "D"))).toBeUndefined();
    expect(trail.emptied).toBe(true);
    expect(new CursorTrail("A").next(page(0))).toBeUndefined(); // the end: no cursor at all
  });
});

describe("the stream's cursors", () => {
  it("going round in a cycle end the poll, which claims nothing read, and the next reads by time", async () => {
    const r = await rig({ hours: 10 });
    await r.poller.pollOnce(); // the backfill, straight from the simulator
    r.clock.advance(200 * MINUTE); // 200 new events: four pages of 50
    let served = 0;
    const url = await cyclingProxy(r.sim.url, () => served++);
    const poller = pollerVia(r, url);
    await poller.pollOnce();
    expect(served).toBeLessThanOrEqual(3);
    expect(r.logs.text()).toContain("the audit log's cursors went round in a cycle");
    // Not read to the end: no digest may take it as read through.
    expect(poller.readThrough()).toBeNull();
    await poller.pollOnce();
    const through = poller.readThrough() ?? 0;
    expect(through).toBe(r.clock.now());
    expect(validIds(r.sim, through).filter((id) => !storedIds(r.db).includes(id))).toEqual([]);
  });

  it("going round in a cycle during the backfill leave it not done", async () => {
    const r = await rig({ hours: 10 }); // 600 events: 12 pages of 50
    const poller = pollerVia(r, await cyclingProxy(r.sim.url));
    await poller.pollOnce();
    expect(r.logs.text()).toContain("went round in a cycle");
    expect(repositories(r.db).pollStates.get(r.sim.orgId)?.backfillDone).toBe(false);
    await poller.pollOnce();
    expect(repositories(r.db).pollStates.get(r.sim.orgId)?.backfillDone).toBe(true);
    const now = r.clock.now();
    expect(validIds(r.sim, now).filter((id) => !storedIds(r.db).includes(id))).toEqual([]);
  });

  it("an empty page whose cursor moves on is not the end of the stream", async () => {
    const r = await rig({ hours: 2 });
    await r.poller.pollOnce();
    r.clock.advance(200 * MINUTE); // four pages of new events
    let empty = false;
    let asked = 0;
    const url = await proxy(r.sim.url, async (u, forward) => {
      const cursor = u.searchParams.get("cursor");
      if (cursor?.startsWith("after-empty.")) {
        u.searchParams.set("cursor", cursor.slice("after-empty.".length));
        return forward(u);
      }
      const answer = await forward(u);
      // The second page of this poll: empty, with a cursor that leads on.
      if (!empty && cursor && ++asked === 2) {
        empty = true;
        return {
          status: 200,
          body: JSON.stringify({ data: [], meta: { next: `after-empty.${cursor}` }, links: {} }),
        };
      }
      return answer;
    });
    const poller = pollerVia(r, url);
    await poller.pollOnce();
    expect(empty).toBe(true);
    const through = poller.readThrough() ?? 0;
    expect(through).toBe(r.clock.now());
    expect(validIds(r.sim, through).filter((id) => !storedIds(r.db).includes(id))).toEqual([]);
  });

  it("three empty pages in a row whose cursor moves on, mid-backfill, are not the end: the next poll comes soon and reads the rest", async () => {
    const r = await rig({ hours: 10 }); // 600 events: 12 pages of 50
    let pages = 0;
    let real: string | undefined;
    const url = await proxy(r.sim.url, async (u, forward) => {
      const cursor = u.searchParams.get("cursor");
      if (cursor?.startsWith("empty-")) {
        const n = Number(cursor.slice("empty-".length));
        if (n === 4 && real) {
          u.searchParams.set("cursor", real);
          return forward(u);
        }
        return {
          status: 200,
          body: JSON.stringify({ data: [], meta: { next: `empty-${n + 1}` } }),
        };
      }
      const answer = await forward(u);
      // After the third page of history, three empty pages whose cursor moves on, then the rest.
      if (++pages !== 3) return answer;
      real = nextOf(answer.body);
      return { ...answer, body: withNext(answer.body, "empty-1") };
    });
    const after = await runPolls(r, url, 2);
    // The first poll stopped with most of the history unread: neither done nor read through.
    expect(after[0]).toMatchObject({ readThrough: null, done: false });
    expect(after[0]?.unread).toBeGreaterThan(300);
    expect(r.logs.text()).not.toContain("backfill done: 150 events");
    // The next came after a short pause, not a poll interval, and read the rest.
    expect(r.clock.sleeps[0]).toBeLessThan(MINUTE);
    expect(after[1]).toMatchObject({ unread: 0, done: true });
    expect(after[1]?.readThrough).not.toBeNull();
  });

  it("six empty pages in a row whose cursor moves on, mid-backfill, are not the end: the poll that went on from them reads on by time and stores the rest", async () => {
    const r = await rig({ hours: 10 }); // 600 events: 12 pages of 50
    let pages = 0;
    const url = await proxy(r.sim.url, async (u, forward) => {
      const cursor = u.searchParams.get("cursor");
      // A quiet stretch: empty pages whose cursor moves on, more than one poll follows.
      if (cursor?.startsWith("empty-")) {
        const n = Number(cursor.slice("empty-".length));
        return {
          status: 200,
          body: JSON.stringify({ data: [], meta: { next: `empty-${n + 1}` } }),
        };
      }
      const answer = await forward(u);
      return ++pages === 3 ? { ...answer, body: withNext(answer.body, "empty-1") } : answer;
    });
    const after = await runPolls(r, url, 2);
    expect(after[0]).toMatchObject({ readThrough: null, done: false });
    expect(after[0]?.unread).toBeGreaterThan(300);
    // The second finds three more, then, reading by time from the last event, the rest.
    expect(after[1]).toMatchObject({ unread: 0, done: true });
    expect(after[1]?.readThrough).not.toBeNull();
    expect(r.logs.text()).not.toContain("backfill done: 150 events");
  });

  it("empty pages that name a new cursor each at the stream's end are its end once a poll that went on from them finds nothing else", async () => {
    const r = await rig({ hours: 2 }); // 120 events: 3 pages of 50
    let tail = 0;
    const url = await proxy(r.sim.url, async (u, forward) => {
      if (u.searchParams.get("cursor")?.startsWith("tail-"))
        return {
          status: 200,
          body: JSON.stringify({ data: [], meta: { next: `tail-${++tail}` } }),
        };
      const answer = await forward(u);
      // The end of the stream names a cursor of its own each time, moving on.
      const empty = (JSON.parse(answer.body) as { data: unknown[] }).data.length === 0;
      return empty ? { ...answer, body: withNext(answer.body, `tail-${++tail}`) } : answer;
    });
    const after = await runPolls(r, url, 3);
    // The first stops on them, not read to the end, and the next comes soon.
    expect(after[0]).toMatchObject({ readThrough: null, done: false });
    expect(r.clock.sleeps[0]).toBeLessThan(MINUTE);
    // The next finds nothing but more of them, and by time nothing new: the end; polls keep their
    // interval after it.
    expect(after[1]?.done).toBe(true);
    expect(after[1]?.readThrough).not.toBeNull();
    expect(r.clock.sleeps[1]).toBe(MINUTE);
    expect(after[2]).toMatchObject({ unread: 0 });
    expect(after[2]?.readThrough).not.toBeNull();
  });

  it("naming as next, on a page of new events, the cursor just asked is read past by time in the same poll", async () => {
    const r = await rig({ hours: 2 });
    await r.poller.pollOnce(); // the backfill, straight from the simulator
    const stuck = repositories(r.db).pollStates.get(r.sim.orgId)?.cursor;
    expect(stuck).toBeTruthy();
    r.clock.advance(200 * MINUTE); // 200 new events: four pages of 50
    // Asked the stored cursor, the stream gives its next page but names the same cursor as next.
    const url = await proxy(r.sim.url, async (u, forward) => {
      const answer = await forward(u);
      const asked = u.searchParams.get("cursor");
      return stuck && asked === stuck ? { ...answer, body: withNext(answer.body, stuck) } : answer;
    });
    const poller = pollerVia(r, url);
    await poller.pollOnce();
    expect(poller.readThrough()).toBe(r.clock.now());
    expect(validIds(r.sim, r.clock.now()).filter((id) => !storedIds(r.db).includes(id))).toEqual(
      [],
    );
    // The cursor kept is the one the read by time ended on, not the stuck one.
    expect(repositories(r.db).pollStates.get(r.sim.orgId)?.cursor).not.toBe(stuck);
  });
});

describe("a full page that names no next cursor", () => {
  /** A proxy whose pages name no next cursor, neither meta.next nor links.next. */
  const withoutNext = (simUrl: string) =>
    proxy(simUrl, async (u, forward) => {
      const answer = await forward(u);
      const body = JSON.parse(answer.body) as { meta?: object; links?: object };
      return { ...answer, body: JSON.stringify({ ...body, meta: {}, links: {} }) };
    });

  it("is not the end of the backfill: the poll reads on by time until a page comes back short", async () => {
    const r = await rig({ hours: 10 }); // 600 events: 12 pages of 50
    const poller = pollerVia(r, await withoutNext(r.sim.url));
    await poller.pollOnce();
    const now = r.clock.now();
    expect(validIds(r.sim, now).filter((id) => !storedIds(r.db).includes(id))).toEqual([]);
    expect(repositories(r.db).pollStates.get(r.sim.orgId)?.backfillDone).toBe(true);
    expect(poller.readThrough()).toBe(now);
  });

  it("read on by time to the same page (a page's worth processed in one millisecond) ends the poll, which says so and claims nothing read", async () => {
    const r = await rig({ hours: 1 });
    const at = NOW - 30 * MINUTE;
    const items = Array.from({ length: 120 }, (_, i) => ({
      id: `same-ms-${i}`,
      type: "events",
      attributes: { time: new Date(at).toISOString(), action: "user_logged_in" },
    }));
    r.sim.stream.inject(items, at);
    const poller = pollerVia(r, await withoutNext(r.sim.url));
    await poller.pollOnce();
    expect(r.logs.text()).toContain("reading on by time does not move past it");
    expect(poller.readThrough()).toBeNull();
    expect(repositories(r.db).pollStates.get(r.sim.orgId)?.backfillDone).toBe(false);
  });
});

describe("meta.next written as a URL", () => {
  it("is read for the cursor it carries, as links.next is", async () => {
    const r = await rig({ hours: 1 });
    await r.poller.pollOnce(); // the backfill, untouched
    r.clock.advance(300 * MINUTE); // 300 new events: six pages of 50
    const url = await proxy(r.sim.url, async (u, forward) => {
      const answer = await forward(u);
      const body = JSON.parse(answer.body) as { meta?: object; links?: { next?: string } };
      const next = body.links?.next;
      return next ? { ...answer, body: JSON.stringify({ ...body, meta: { next } }) } : answer;
    });
    const poller = pollerVia(r, url);
    await poller.pollOnce();
    expect(poller.readThrough()).toBe(r.clock.now());
    expect(validIds(r.sim, r.clock.now()).filter((id) => !storedIds(r.db).includes(id))).toEqual(
      [],
    );
  });
});

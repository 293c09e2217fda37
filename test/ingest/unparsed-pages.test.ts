/**
 * Pages of the stream that JSON.parse refuses, through the real poller on a SQLite file, the
 * answers rewritten by a proxy on 127.0.0.1: one event with a raw control character in its text
 * (the page is read item by item), and a gateway that cuts every answer at 256 KB behind one event
 * larger than that (smaller pages are asked, and that event is read past). Asked again, either
 * page answers the same: neither may stop the organization's log from being read, for good.
 */
import { describe, expect, it } from "vitest";
import type { Poller } from "../../src/ingest/poller.js";
import type { PollerHealth } from "../../src/ingest/poller-options.js";
import { PATIENCE } from "../../src/ingest/stuck-page.js";
import { repositories } from "../../src/store/repositories.js";
import { API_KEY, MINUTE, type Rig, rig, storedIds, validIds } from "./setup.js";
import { cutAt, injectPage, pollerVia, proxy } from "./stream-proxy.js";

function quarantined(r: Rig): Array<{ event_id: string | null; error: string; raw: string }> {
  return r.db
    .prepare<[], { event_id: string | null; error: string; raw: string }>(
      "SELECT event_id, error, raw FROM quarantined_events ORDER BY seq",
    )
    .all();
}

/** `n` polls a minute apart: each one's outcome, "ok" or its error's message. */
async function polls(r: Rig, poller: Poller, n: number): Promise<string[]> {
  const outcomes: string[] = [];
  for (let i = 0; i < n; i++) {
    r.clock.advance(MINUTE);
    await poller.pollOnce().then(
      () => outcomes.push("ok"),
      (error: Error) => outcomes.push(error.message),
    );
  }
  return outcomes;
}

/** Every event the simulator has, but `except`, is stored, and once. */
function expectStoredOnce(r: Rig, except: string): void {
  const stored = r.count();
  expect(storedIds(r.db)).toEqual(validIds(r.sim, r.clock.now()).filter((id) => id !== except));
  expect(stored).toBe(new Set(storedIds(r.db)).size);
}

describe("a page whose JSON does not parse", () => {
  it("is read item by item: the broken event quarantined as received, every other one stored", async () => {
    const r = await rig({ hours: 1 });
    // Every answer that carries the event carries it as a broken server would send it.
    const url = await proxy(r.sim.url, async (u, forward) => {
      const answer = await forward(u);
      return { ...answer, body: answer.body.replace("POISON", "PO\u0001ISON") };
    });
    const poller = pollerVia(r, url);
    await poller.pollOnce(); // the backfill
    injectPage(r, "poison-1", "token label POISON");

    expect(await polls(r, poller, 6)).toEqual(["ok", "ok", "ok", "ok", "ok", "ok"]);
    expectStoredOnce(r, "poison-1");
    const [row, ...more] = quarantined(r);
    expect(more).toEqual([]);
    expect(row?.event_id).toBe("poison-1");
    expect(row?.error).toMatch(/^does not parse as JSON \(Bad control character/);
    expect(row?.raw).toContain('"content":"token label PO\u0001ISON"');
    expect(poller.health()).toMatchObject({ healthy: true, quarantined: 1, lastError: null });
    expect(r.logs.text()).toContain("malformed events quarantined");
  });

  it("cut by a gateway at 256 KB behind a larger event: smaller pages are asked, that event read past", async () => {
    const r = await rig({ hours: 1 });
    const url = await cutAt(r);
    await pollerVia(r, url).pollOnce(); // the backfill
    r.clock.advance(MINUTE);
    const stuckAt = r.clock.now();
    const cursor = repositories(r.db).pollStates.get(r.sim.orgId)?.cursor ?? "";
    injectPage(r, "huge-1", "x".repeat(300_000));

    const seen = await running(r, url, PATIENCE + 3);
    // While stuck, health says where, since when, and what comes next.
    for (const [i, health] of seen.slice(0, PATIENCE).entries()) {
      expect(health.lastError?.message).toBe(
        `the audit log is read no further than cursor ${cursor.slice(0, 24)}… since ${new Date(stuckAt).toISOString()} (${i + 1} ${i === 0 ? "poll" : "polls"}): GET /admin/v1/orgs/org-poller/events-stream answered JSON that does not parse (an answer of 256000 characters); after 3 polls failing so, smaller pages are asked there`,
      );
    }
    expect(seen.slice(PATIENCE)).toMatchObject([
      { healthy: true, lastError: null, quarantined: 1 },
      { healthy: true, lastError: null, quarantined: 1 },
      { healthy: true, lastError: null, quarantined: 1 },
    ]);
    expectStoredOnce(r, "huge-1");
    const [row, ...more] = quarantined(r);
    expect(more).toEqual([]);
    expect(row?.event_id).toBe("huge-1");
    expect(row?.error).toContain("does not parse as JSON even asked alone");
    expect(row?.raw).toMatch(/^\{"id":"huge-1","type":"events","attributes":\{/);
    expect(r.logs.text()).toContain("smaller pages");
    expect(r.logs.text()).toContain("does not parse even asked alone");
  });

  it("skips nothing when every answer is cut: stuck, saying so, until answers come whole", async () => {
    const r = await rig({ hours: 1 });
    let cut = false;
    const url = await proxy(r.sim.url, async (u, forward) => {
      const answer = await forward(u);
      // Each item whole, and the page not: what a gateway that drops an answer's end sends.
      return cut ? { ...answer, body: answer.body.slice(0, -100) } : answer;
    });
    await pollerVia(r, url).pollOnce();
    cut = true;

    const seen = await running(r, url, PATIENCE + 3, (poll) => {
      cut = poll < PATIENCE + 2;
    });
    expect(seen[PATIENCE + 1]?.lastError?.message).toMatch(
      /^the audit log is read no further than cursor \S+ since \S+ \(5 polls\): .* even one item at a time, and so does the page after it: answers may be cut on the way. Let whole answers through/,
    );
    expect(seen[PATIENCE + 2]).toMatchObject({ healthy: true, lastError: null, quarantined: 0 });
    expectStoredOnce(r, "");
  });
});

/** A poller on the rig's file run until `n` polls have ended: its health after each. */
async function running(
  r: Rig,
  url: string,
  n: number,
  ended?: (poll: number) => void,
): Promise<PollerHealth[]> {
  const stop = new AbortController();
  const seen: PollerHealth[] = [];
  const poller: Poller = pollerVia(r, url, {
    onPoll: () => {
      seen.push(poller.health());
      ended?.(seen.length);
      if (seen.length === n) stop.abort();
    },
  });
  await poller.run(stop.signal);
  return seen;
}

describe("pages without a next cursor, every one cut by a gateway at three quarters of a page", () => {
  it("are read to the end in smaller pages: a page of as many as were asked is not the end", async () => {
    const r = await rig({ hours: 10 }); // 600 events, 12 pages of 50
    let cutAt = Number.POSITIVE_INFINITY;
    const url = await proxy(r.sim.url, async (u, forward) => {
      const answer = await forward(u);
      const body = JSON.parse(answer.body) as object;
      return { ...answer, body: JSON.stringify({ ...body, meta: {}, links: {} }).slice(0, cutAt) };
    });
    const whole = await fetch(
      `${url}/admin/v1/orgs/${r.sim.orgId}/events-stream?limit=50&sortOrder=asc&from=0`,
      { headers: { authorization: `Bearer ${API_KEY}` } },
    );
    cutAt = Math.floor((await whole.text()).length * 0.75);
    const poller = pollerVia(r, url, { pageLimit: 50 });
    const outcomes = await polls(r, poller, PATIENCE + 1);
    expect(outcomes.slice(0, PATIENCE).every((o) => o !== "ok")).toBe(true);
    expect(outcomes[PATIENCE]).toBe("ok");
    // The half pages that parse, each without a next cursor, were read on by time to the end.
    const missing = validIds(r.sim, r.clock.now()).filter((id) => !storedIds(r.db).includes(id));
    expect(missing).toEqual([]);
    expect(repositories(r.db).pollStates.get(r.sim.orgId)?.backfillDone).toBe(true);
  });
});

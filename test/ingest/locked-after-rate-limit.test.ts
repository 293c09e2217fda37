/**
 * A page refused with a long Retry-After ends the poll; committing the pages read before it then
 * meets a lock, so the poll fails on the database, which is tried again within seconds. The
 * stream is not asked again before the wait the API asked for.
 */
import Database from "better-sqlite3";
import { expect, it, onTestFinished } from "vitest";
import { MINUTE, rig } from "./setup.js";
import { pollerVia, proxy } from "./stream-proxy.js";

it("a lock met while committing after a 429 does not make the poller ask before its Retry-After", async () => {
  const r = await rig({ hours: 1 });
  let armed = false;
  let streamAsks = 0;
  let refusedAt: number | undefined;
  const askedAfter: number[] = [];
  const url = await proxy(r.sim.url, (u, forward) => {
    if (!armed) return forward(u);
    streamAsks++;
    if (refusedAt !== undefined) {
      askedAfter.push(r.clock.now() - refusedAt);
      return forward(u);
    }
    if (streamAsks === 2) {
      refusedAt = r.clock.now();
      return {
        status: 429,
        headers: { "retry-after": "600" },
        body: JSON.stringify({
          errors: [{ status: "429", code: "ADMIN-429-1", title: "Rate limit exceeded" }],
        }),
      };
    }
    return forward(u);
  });
  const outcomes: string[] = [];
  const stop = new AbortController();
  onTestFinished(() => stop.abort());
  // An interval of an hour: the wait after the 429 is the API's, not the interval.
  const poller = pollerVia(r, url, {
    intervalMs: 60 * MINUTE,
    onPoll: (o) => {
      outcomes.push("kind" in o ? String(o.kind) : "read");
      if (outcomes.length >= 3) stop.abort();
    },
  });
  await poller.checkAccess();
  await poller.pollOnce();
  expect(r.count()).toBeGreaterThan(0);

  // 100 minutes more: more than two pages of 50. Another process holds the write lock.
  r.clock.advance(100 * MINUTE);
  r.db.pragma("busy_timeout = 0");
  const locker = new Database(r.db.name);
  onTestFinished(() => {
    locker.close();
  });
  locker.exec("BEGIN IMMEDIATE");
  armed = true;

  await poller.run(stop.signal);
  expect(outcomes).toEqual(["database", "database", "database"]);
  expect(refusedAt).toBeDefined();
  // The page after the one refused is asked again, but 10 minutes later, as the API asked.
  expect(askedAfter.length).toBeGreaterThan(0);
  for (const ms of askedAfter) expect(ms).toBeGreaterThanOrEqual(10 * MINUTE);
  // Once the API's wait is over, the lock alone sets the pace again: seconds, not the interval.
  expect(r.clock.sleeps).toEqual([10 * MINUTE, 2_000]);
}, 30_000);

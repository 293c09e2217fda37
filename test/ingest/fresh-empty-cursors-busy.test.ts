/**
 * A stream whose end names a fresh cursor with each empty page, in an organization where something
 * is logged every 2 seconds: every poll finds a few events before the empty pages, and more are
 * processed while it runs (each request takes 400 ms of the clock). A proxy on 127.0.0.1 in front
 * of the simulator gives each empty page a new cursor (each still works: it stands for the
 * simulator's own); a real SQLite file. Atlassian's clock (the simulator's, which dates its answers
 * and events) agrees with this machine's, or is 10 seconds behind it.
 */
import { describe, expect, it, onTestFinished } from "vitest";
import type { Poller } from "../../src/ingest/poller.js";
import { repositories } from "../../src/store/repositories.js";
import { until } from "../helpers/until.js";
import { NOW, type Rig, rig, storedIds, validIds } from "./setup.js";
import { nextOf, pollerVia, proxy, withNext } from "./stream-proxy.js";

describe.each([
  ["agreeing", 0],
  ["10 s behind this machine's", 10_000],
])(
  "fresh cursors on the empty pages at the stream's end, in a busy organization, Atlassian's clock %s",
  (_, behindMs) => {
    it("are its end: the backfill is done and the log read through within a few polls, nothing lost or stored twice", async () => {
      // One event every 2 s: 1,800 events in the hour of history.
      let rig_: Rig | undefined;
      const atlassianNow = () => (rig_?.clock.now() ?? NOW) - behindMs;
      const r = await rig({ hours: 1, sim: { intervalMs: 2_000, clock: { now: atlassianNow } } });
      rig_ = r;
      r.clock.advance(behindMs);
      const alias = new Map<string, string>();
      const url = await proxy(r.sim.url, async (u, forward) => {
        r.clock.advance(400);
        const asked = u.searchParams.get("cursor");
        const real = asked ? alias.get(asked) : undefined;
        if (real) u.searchParams.set("cursor", real);
        const answer = await forward(u);
        const next = nextOf(answer.body);
        const empty = (JSON.parse(answer.body) as { data: unknown[] }).data.length === 0;
        if (!empty || !next) return answer;
        const fresh = `fresh-${alias.size + 1}`; // a new cursor each time, for the same position
        alias.set(fresh, next);
        return { ...answer, body: withNext(answer.body, fresh) };
      });
      const after: Array<{ done?: boolean; readThrough: number | null; unread: number }> = [];
      const poller: Poller = pollerVia(r, url, {
        onPoll: () => {
          const stored = new Set(storedIds(r.db));
          after.push({
            done: repositories(r.db).pollStates.get(r.sim.orgId)?.backfillDone,
            readThrough: poller.readThrough(),
            // Read through by this machine's clock: by Atlassian's, that much earlier.
            unread: validIds(r.sim, (poller.readThrough() ?? 0) - behindMs).filter(
              (id) => !stored.has(id),
            ).length,
          });
        },
      });
      const stop = new AbortController();
      onTestFinished(() => stop.abort());
      const running = poller.run(stop.signal);
      await until(() => after.length >= 4, "4 polls", 30_000);
      stop.abort();
      await running;
      // The first poll stops on the empty pages; the next goes on from them and takes them as the end.
      expect(after[0]).toMatchObject({ done: false, readThrough: null });
      expect(after[1]?.done).toBe(true);
      expect(after[1]?.readThrough).not.toBeNull();
      // From then on each poll that stops on them is followed within seconds by one that reads
      // through, and that one waits the interval.
      expect(after[3]?.readThrough).toBeGreaterThan(after[1]?.readThrough ?? 0);
      expect(r.clock.sleeps).toEqual([5_000, 60_000, 5_000, 60_000]);
      // Nothing processed before the poll that read through began is missing; nothing is stored twice.
      expect(after.at(-1)?.unread).toBe(0);
      expect(r.count()).toBe(new Set(storedIds(r.db)).size);
    }, 60_000);
  },
);

/**
 * Whichever field `from` of GET /events-stream filters on (Atlassian's text, "the earliest date and
 * time of the event", settles neither), an event that Atlassian processed long after it happened
 * is stored: the simulator filters on the one named; its last page names no next cursor (a proxy
 * on 127.0.0.1 takes it out); a real SQLite file.
 */
import { describe, expect, it } from "vitest";
import { MINUTE, NOW, type Rig, rig, storedIds, validIds } from "./setup.js";
import { pollerVia, proxy } from "./stream-proxy.js";

/** The stream at `r`, its pages shorter than asked naming no next cursor. */
function lastPageNamesNone(r: Rig): Promise<string> {
  return proxy(r.sim.url, async (u, forward) => {
    const answer = await forward(u);
    const body = JSON.parse(answer.body) as { data?: unknown[]; meta?: object; links?: object };
    const asked = Number(u.searchParams.get("limit") ?? 200);
    if (answer.status !== 200 || (body.data?.length ?? 0) >= asked) return answer;
    return { ...answer, body: JSON.stringify({ ...body, meta: {}, links: {} }) };
  });
}

/** An event that happened `lateMs` before now, processed now. */
function injectLate(r: Rig, id: string, lateMs: number): void {
  r.sim.injectEvents([
    {
      id,
      type: "events",
      attributes: {
        time: new Date(r.clock.now() - lateMs).toISOString(),
        action: "user_logged_in",
      },
    },
  ]);
}

for (const fromFilters of ["processedAt", "time"] as const) {
  describe(`\`from\` filtering on ${fromFilters}`, () => {
    it("an event processed 40 minutes after it happened is stored when the last page names no next cursor", async () => {
      const r = await rig({ hours: 2, sim: { fromFilters } }); // 120 events: pages of 50, 50, 20
      const poller = pollerVia(r, await lastPageNamesNone(r));
      await poller.pollOnce(); // the backfill
      r.clock.advance(20 * MINUTE);
      injectLate(r, "late", 40 * MINUTE); // happened at NOW-20min
      await poller.pollOnce();
      expect(r.count("id = 'late'")).toBe(1);
      const stored = new Set(storedIds(r.db));
      expect(validIds(r.sim, r.clock.now()).filter((id) => !stored.has(id))).toEqual([]);
      expect(r.count()).toBe(stored.size);
      // The last page's cursor was asked again: one page read twice, not a read by time.
      const asks = r.sim.requests.filter((q) => q.path.endsWith("/events-stream") && q.at > NOW);
      expect(asks.every((q) => q.query.cursor !== undefined)).toBe(true);
    });
  });
}

for (const fromFilters of ["processedAt", "time"] as const) {
  describe(`a refused cursor, \`from\` filtering on ${fromFilters}`, () => {
    it("is read again by time from before the lateness the stored events show: a late event is stored, at the cost of what that re-reads", async () => {
      const r = await rig({ hours: 2, sim: { fromFilters } });
      // The history shows an event processed 50 minutes after it happened.
      injectLate(r, "late-before", 50 * MINUTE);
      await r.poller.pollOnce(); // the backfill
      const longest = r.db
        .prepare<[], number>("SELECT max(processed_at - time) FROM events")
        .pluck()
        .get() as number;
      expect(longest).toBeGreaterThanOrEqual(50 * MINUTE);
      r.clock.advance(20 * MINUTE);
      injectLate(r, "late", 40 * MINUTE); // happened at NOW-20min, before NOW-10min
      r.sim.expireCursors();
      r.sim.clearRequests();
      const result = await r.poller.pollOnce();
      expect(r.count("id = 'late'")).toBe(1);
      const stored = new Set(storedIds(r.db));
      expect(validIds(r.sim, r.clock.now()).filter((id) => !stored.has(id))).toEqual([]);
      // Read by time from the last event less the longest lateness stored (at most two days).
      const from = Number(r.sim.requests.find((q) => q.query.from !== undefined)?.query.from);
      expect(from).toBe(NOW - Math.min(longest, 2 * 24 * 60 * MINUTE));
      // The cost: every event stored that was processed since `from` is read again (51 events
      // here, where ten minutes back would have read 11), with the 21 new: pages of 50, and the
      // empty page at the end.
      const reread = r.count(`processed_at >= ${from} AND processed_at <= ${NOW}`);
      expect(result).toMatchObject({ stored: 21, duplicates: reread });
      expect(reread).toBe(51);
      expect(result.pages).toBe(Math.ceil((reread + 21) / 50) + 1);
    });
  });
}

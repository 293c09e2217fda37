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

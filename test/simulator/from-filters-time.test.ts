import { describe, expect, it } from "vitest";
import { drain, INTERVAL, idOf, page, START, simulator } from "./helpers.js";

/** An event that happened `lateMs` before it was processed, injected at the clock's now. */
function late(id: string, processedAt: number, lateMs: number) {
  return {
    id,
    type: "events",
    attributes: { time: new Date(processedAt - lateMs).toISOString(), action: "user_logged_in" },
  };
}

describe("simulator: `from` filtering on the events' time", () => {
  it("leaves out what happened before `from`, on the pages the read's cursors lead to as well", async () => {
    const { sim, clock } = await simulator(100, { fromFilters: "time" });
    const from = START + 50 * INTERVAL;
    // Processed after `from`, happened before it.
    sim.injectEvents([late("late", clock.now(), 60 * INTERVAL)]);
    const byTime = await drain(sim, { from, limit: 10 });
    const ids = byTime.items.map(idOf);
    expect(ids).not.toContain("late");
    // Generated events too: any processed from `from` on that happened before it is left out.
    const happened = (e: unknown) =>
      Date.parse((e as { attributes: { time: string } }).attributes.time);
    expect(byTime.items.every((e) => happened(e) >= from)).toBe(true);
    // The read's last cursor keeps leaving them out; a read from earlier has the late event.
    clock.advance(INTERVAL);
    sim.injectEvents([late("late-2", clock.now(), 60 * INTERVAL)]);
    expect((await page(sim, { cursor: byTime.cursor })).data.map(idOf)).toEqual([
      sim.org.idAt(100),
    ]);
    const earlier = await drain(sim, { from: START, limit: 500 });
    expect(earlier.items.map(idOf)).toEqual(expect.arrayContaining(["late", "late-2"]));
  });

  it("filters on processedAt by default", async () => {
    const { sim, clock } = await simulator(100);
    sim.injectEvents([late("late", clock.now(), 60 * INTERVAL)]);
    const byTime = await drain(sim, { from: START + 50 * INTERVAL, limit: 10 });
    expect(byTime.items.map(idOf)).toContain("late");
  });
});

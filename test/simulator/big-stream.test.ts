import { describe, expect, it } from "vitest";
import { INTERVAL, idOf, page, START, simulator } from "./helpers.js";

describe("simulator: a 200,000-event stream", () => {
  it("serves pages of 500 anywhere in it without holding the events", async () => {
    const { sim, clock } = await simulator(200_000);
    expect(sim.org.countAtOrBefore(clock.now())).toBe(200_000);
    expect(sim.countValidEventsUpTo()).toBe(200_000);

    const from = START + 199_000 * INTERVAL;
    const body = await page(sim, { from, limit: 500 });
    expect(body.data).toHaveLength(500);
    expect(idOf(body.data[0])).toBe(sim.org.idAt(199_000));
    const next = await page(sim, { cursor: body.meta.next ?? "", limit: 500 });
    expect(next.data).toHaveLength(500);
    expect(idOf(next.data[499])).toBe(sim.org.idAt(199_999));
    const end = await page(sim, { cursor: next.meta.next ?? "", limit: 500 });
    expect(end.data).toEqual([]);

    clock.advance(INTERVAL);
    expect((await page(sim, { cursor: end.meta.next ?? "" })).data.map(idOf)).toEqual([
      sim.org.idAt(200_000),
    ]);
  });
});

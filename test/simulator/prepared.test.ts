import { describe, expect, it } from "vitest";
import type { Simulator } from "../../src/simulator/index.js";
import { get, INTERVAL, simulator, streamPath } from "./helpers.js";

/**
 * Every page's body as served, following cursors from the start until a page comes back empty:
 * its bytes up to the links, which name the simulator's own port.
 */
async function bodies(sim: Simulator): Promise<string[]> {
  const texts: string[] = [];
  let query: Record<string, string | number> = { from: 0, limit: 250 };
  for (;;) {
    const text = await (await get(sim, streamPath(sim), query)).text();
    texts.push(text.slice(0, text.lastIndexOf(',"links":')));
    const body = JSON.parse(text) as { data: unknown[]; meta: { next: string } };
    if (body.data.length === 0) return texts;
    query = { cursor: body.meta.next, limit: 250 };
  }
}

describe("simulator: history serialised ahead (prepareUpTo)", () => {
  it("serves the same bytes as a simulator that serialises each page when asked", async () => {
    const plain = await simulator(3_000);
    const prepared = await simulator(3_000);
    expect(prepared.sim.stream.prepareUpTo(prepared.clock.now())).toBe(3_000);

    const first = await bodies(prepared.sim);
    expect(first.length).toBeGreaterThan(12);
    expect(first).toEqual(await bodies(plain.sim));
    // A page asked for again (a client's retry) is the same although its events were served.
    expect(await bodies(prepared.sim)).toEqual(first);

    // Events after the prepared history are made when asked, as before.
    prepared.clock.advance(300 * INTERVAL);
    plain.clock.advance(300 * INTERVAL);
    const later = await bodies(prepared.sim);
    expect(later.join("").length).toBeGreaterThan(first.join("").length);
    expect(later).toEqual(await bodies(plain.sim));
  });
});

import { describe, expect, it } from "vitest";
import { MINUTE, type Rig, rig } from "./setup.js";

let n = 0;
/** An event under `key`, an action /event-actions never lists (an ordinary product's). */
const unlisted = (r: Rig, key: string) => ({
  id: `cccccccc-0000-4000-8000-${String(++n).padStart(12, "0")}`,
  type: "events",
  attributes: {
    time: new Date(r.clock.now() - 10_000).toISOString(),
    action: key,
    actor: { id: "acct-bob", name: "Bob", email: "bob@acme.test" },
    context: [],
    container: [],
  },
  message: { content: "Something happened", format: "simple" },
});

const catalogueReads = (r: Rig) =>
  r.sim.requests.filter(
    (q) => q.path.split("?")[0]?.endsWith("/event-actions") && !q.path.includes("cursor="),
  ).length;

describe("actions the catalogue never lists", () => {
  it("are each fetched for once when first seen, then all looked for again on one hourly schedule", async () => {
    const r = await rig({ hours: 1 });
    await r.poller.pollOnce();
    const keys = Array.from({ length: 60 }, (_, i) => `jira_board_thing_${i}`);
    const reads: number[] = [];
    for (let minute = 0; minute < 180; minute++) {
      if (minute % 60 === 0) reads.push(catalogueReads(r));
      r.sim.injectEvents([unlisted(r, keys[minute % keys.length] as string)]);
      r.clock.advance(MINUTE);
      await r.poller.pollOnce();
    }
    reads.push(catalogueReads(r));
    const perHour = reads.slice(1).map((count, i) => count - (reads[i] ?? 0));
    // The first hour: each new action read for at once. Then one read an hour for all of them.
    expect(perHour[0]).toBe(60);
    expect(perHour.slice(1)).toEqual([1, 1]);
  }, 240_000);
});

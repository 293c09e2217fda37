/**
 * A stream that repeats a few items before its cursor (at-least-once delivery, the simulator's
 * `duplicateOverlap`) is there to deliver an item committed late, behind the cursor. A page at the
 * end of the stream carrying such a late item among its repeats is still the end: nothing went
 * round, and the cursor is right.
 */
import { describe, expect, it } from "vitest";
import { repositories } from "../../src/store/repositories.js";
import { MINUTE, rig, storedIds, validIds } from "./setup.js";

describe("a late item among the repeats before the cursor", () => {
  it("is stored, and the end of the stream is still the end: no cycle said, read through, cursor kept", async () => {
    const r = await rig({ hours: 2, sim: { duplicateOverlap: 3 } });
    await r.poller.pollOnce(); // the backfill
    const cursor = repositories(r.db).pollStates.get(r.sim.orgId)?.cursor;
    expect(cursor).toBeTruthy();
    // Committed late: processed a moment before the last event already delivered.
    const last = repositories(r.db).pollStates.get(r.sim.orgId)?.lastProcessedAt ?? 0;
    r.sim.stream.inject(
      [
        {
          id: "late-1",
          type: "events",
          attributes: { time: new Date(last - 2).toISOString(), action: "user_logged_in" },
        },
      ],
      last - 1,
    );
    r.clock.advance(MINUTE / 4); // no new event after the cursor
    await r.poller.pollOnce();
    expect(r.count("id = 'late-1'")).toBe(1);
    expect(storedIds(r.db)).toEqual(validIds(r.sim, r.clock.now()));
    expect(r.logs.text()).not.toContain("went round in a cycle");
    expect(r.poller.readThrough()).toBe(r.clock.now());
    expect(repositories(r.db).pollStates.get(r.sim.orgId)?.cursor).toBeTruthy();
  });
});

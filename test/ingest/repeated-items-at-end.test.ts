/**
 * An audit log that repeats a few items before the cursor at the start of each page (the
 * simulator's own `duplicateOverlap`: at-least-once delivery, "what is read twice is stored once").
 * At the end of the stream its page holds only those repeats, with the cursor asked as next: that
 * is the end of what there is, not a cycle. Taken for a cycle, every poll "is not read to the
 * end": the backfill is never marked done (no digest, no weekly check, every answer "not whole
 * yet"), no poll reads the log through, and the cursor is dropped for a read by time every poll.
 */
import { describe, expect, it } from "vitest";
import { repositories } from "../../src/store/repositories.js";
import { MINUTE, NOW, rig, storedIds, validIds } from "./setup.js";

describe("a stream that repeats items before the cursor", () => {
  it("ends the backfill and is read through, with no cycle said, poll after poll", async () => {
    const r = await rig({ hours: 5, sim: { duplicateOverlap: 3 } });
    const first = await r.poller.pollOnce();
    expect(first.backfill).toBe(true);
    expect(storedIds(r.db)).toEqual(validIds(r.sim, NOW)); // everything there was is stored
    for (let i = 0; i < 3; i++) {
      r.clock.advance(5 * MINUTE);
      await r.poller.pollOnce();
    }
    expect(storedIds(r.db)).toEqual(validIds(r.sim, r.clock.now()));
    expect(repositories(r.db).pollStates.backfilling(r.sim.orgId)).toBe(false);
    expect(r.poller.readThrough()).toBe(r.clock.now());
    expect(r.logs.text()).not.toContain("went round in a cycle");
  });

  it("keeps its cursor from poll to poll rather than reading by time again", async () => {
    const r = await rig({ hours: 5, sim: { duplicateOverlap: 3 } });
    await r.poller.pollOnce();
    expect(repositories(r.db).pollStates.get(r.sim.orgId)?.cursor).toBeTruthy();
  });
});

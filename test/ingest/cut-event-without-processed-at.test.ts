/**
 * A gateway that cuts answers at 256 KB behind an event larger than that which carries no
 * processedAt (only its `time`, hours earlier). The stream is sorted by processedAt: read on from
 * its `time`, the log would go back, follow the cursors to the same cut page, and quarantine it
 * again, for good. Nothing tells where after it to read on: the poller says so, skips nothing,
 * and reads it once answers come whole.
 */
import { expect, it } from "vitest";
import { PATIENCE } from "../../src/ingest/stuck-page.js";
import { MINUTE, rig, storedIds } from "./setup.js";
import { pollerVia, proxy } from "./stream-proxy.js";

it("a cut event without processedAt: stuck saying so, nothing skipped nor read again", async () => {
  const r = await rig({ hours: 3 });
  let cut = true;
  const url = await proxy(r.sim.url, async (u, forward) => {
    const answer = await forward(u);
    return cut ? { ...answer, body: answer.body.slice(0, 256_000) } : answer;
  });
  const poller = pollerVia(r, url);
  await poller.pollOnce(); // the backfill
  r.clock.advance(MINUTE);
  const time = (ms: number) => new Date(ms).toISOString();
  r.sim.injectEvents([
    {
      id: "huge-1",
      type: "events",
      // Happened two hours before it was processed; no processedAt in the answer.
      attributes: {
        time: time(r.clock.now() - 120 * MINUTE),
        action: "page_updated",
        processedAt: undefined,
      },
      message: { content: "x".repeat(300_000), format: "simple" },
    },
  ]);
  r.clock.advance(MINUTE);
  r.sim.injectEvents([
    {
      id: "after-1",
      type: "events",
      attributes: { time: time(r.clock.now()), action: "page_updated" },
    },
  ]);

  const outcomes: string[] = [];
  let duplicates = 0;
  for (let i = 0; i < PATIENCE + 4; i++) {
    r.clock.advance(MINUTE);
    await poller.pollOnce().then(
      (result) => {
        duplicates += result.duplicates;
        outcomes.push("ok");
      },
      (error: Error) => outcomes.push(error.message),
    );
  }
  expect(outcomes.at(-1)).toMatch(
    /^the audit log is read no further than cursor \S+ since \S+ \(7 polls\): .* even one item at a time, and no processedAt of that item came whole to read on past it: answers may be cut on the way/,
  );
  expect(duplicates).toBe(0);
  expect(r.db.prepare("SELECT count(*) AS n FROM quarantined_events").get()).toEqual({ n: 0 });
  expect(storedIds(r.db)).not.toContain("after-1");

  cut = false;
  r.clock.advance(MINUTE);
  await poller.pollOnce();
  expect(storedIds(r.db)).toEqual(expect.arrayContaining(["huge-1", "after-1"]));
});

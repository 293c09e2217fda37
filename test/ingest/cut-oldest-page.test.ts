/**
 * A 180-day backfill whose first page a gateway cuts at 256 KB. That page is asked from the oldest
 * time the audit log keeps, which moves on with the clock at every poll: it is one place all the
 * same, whose failing polls are counted (since the first) until smaller pages are asked there.
 */
import { expect, it } from "vitest";
import { PATIENCE } from "../../src/ingest/stuck-page.js";
import { MINUTE, rig, storedIds, validIds } from "./setup.js";
import { cutAt, injectPage, pollerVia } from "./stream-proxy.js";

it("a cut first page of a 180-day backfill: one place, smaller pages after 3 polls", async () => {
  const r = await rig({ hours: 1 });
  const stuckAt = r.clock.now();
  injectPage(r, "huge-1", "x".repeat(300_000));
  r.clock.advance(MINUTE);
  const url = await cutAt(r);
  const poller = pollerVia(r, url, { backfillDays: 180, pageLimit: 200 });
  const outcomes: string[] = [];
  for (let i = 0; i < PATIENCE + 1; i++) {
    await poller.pollOnce().then(
      () => outcomes.push("ok"),
      (error: Error) => outcomes.push(error.message),
    );
    r.clock.advance(MINUTE);
  }
  const since = new Date(stuckAt + MINUTE).toISOString();
  for (const [i, outcome] of outcomes.slice(0, PATIENCE).entries())
    expect(outcome).toMatch(
      `the audit log is read no further than the oldest page the log keeps since ${since} (${i + 1} ${i === 0 ? "poll" : "polls"}): `,
    );
  expect(outcomes.at(-1)).toBe("ok");
  expect(r.logs.text()).toContain("smaller pages there");
  const before = validIds(r.sim, stuckAt).filter((id) => id !== "huge-1");
  expect(before).toHaveLength(60);
  expect(storedIds(r.db)).toEqual(expect.arrayContaining(before));
});

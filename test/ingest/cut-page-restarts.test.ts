/**
 * A page a gateway cuts at 256 KB, read by one process per poll (as `poll --once` does, or a bot
 * restarted between polls): the polls failing there are counted in the store, since the first,
 * so smaller pages are asked there after 3 of them as in one long-running process.
 */
import { expect, it } from "vitest";
import { PATIENCE } from "../../src/ingest/stuck-page.js";
import { MINUTE, rig, storedIds } from "./setup.js";
import { cutAt, injectPage, pollerVia } from "./stream-proxy.js";

it("a cut page read one poll per process: counted across them, then read past", async () => {
  const r = await rig({ hours: 1 });
  const url = await cutAt(r);
  await pollerVia(r, url).pollOnce(); // the backfill
  r.clock.advance(MINUTE);
  const stuckAt = r.clock.now();
  injectPage(r, "huge-1", "x".repeat(300_000));
  const outcomes: string[] = [];
  for (let i = 0; i < PATIENCE + 1; i++) {
    r.clock.advance(MINUTE);
    await pollerVia(r, url) // a new process each time
      .pollOnce()
      .then(
        () => outcomes.push("ok"),
        (error: Error) => outcomes.push(error.message),
      );
  }
  const since = new Date(stuckAt + MINUTE).toISOString();
  for (const [i, outcome] of outcomes.slice(0, PATIENCE).entries())
    expect(outcome).toMatch(
      new RegExp(
        `^the audit log is read no further than cursor \\S+ since ${since} \\(${i + 1} polls?\\)`,
      ),
    );
  expect(outcomes.at(-1)).toBe("ok");
  expect(storedIds(r.db)).not.toContain("huge-1");
  expect(r.db.prepare("SELECT event_id FROM quarantined_events").all()).toEqual([
    { event_id: "huge-1" },
  ]);
});

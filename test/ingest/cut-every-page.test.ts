/**
 * A gateway that cuts every answer at a size a full page (200 events) exceeds and 100 do not,
 * before a backlog of a day. Once smaller pages are asked, the pages after start at the size that
 * last worked (twice as many asked again now and then): the backlog costs a request a page or so,
 * not each page asked whole first, retried, then halved.
 */
import { expect, it } from "vitest";
import { PATIENCE } from "../../src/ingest/stuck-page.js";
import { MINUTE, rig, storedIds, validIds } from "./setup.js";
import { pollerVia, proxy } from "./stream-proxy.js";

it("a backlog behind a size-limited gateway: the pages after the stuck one start at the size that worked", async () => {
  const r = await rig({ hours: 24 }); // 1440 events
  let asked = 0;
  let cutAt = Number.POSITIVE_INFINITY;
  const url = await proxy(r.sim.url, async (u, forward) => {
    asked++;
    const answer = await forward(u);
    return { ...answer, body: answer.body.slice(0, cutAt) };
  });
  // A page of 200 measured, then every answer cut at 75% of its size.
  const probe = await fetch(
    `${url}/admin/v1/orgs/${r.sim.orgId}/events-stream?limit=200&sortOrder=asc&from=0`,
    { headers: { authorization: "Bearer poller-test-key" } },
  );
  cutAt = Math.floor((await probe.text()).length * 0.75);
  const poller = pollerVia(r, url, { pageLimit: 200 });
  const requests: number[] = [];
  const outcomes: string[] = [];
  for (let i = 0; i < PATIENCE + 1; i++) {
    asked = 0;
    await poller.pollOnce().then(
      () => outcomes.push("ok"),
      (error: Error) => outcomes.push(error.message),
    );
    requests.push(asked);
    r.clock.advance(MINUTE);
  }
  expect(outcomes.slice(0, PATIENCE)).toEqual(
    Array(PATIENCE).fill(expect.stringMatching(/^the audit log is read no further than /)),
  );
  expect(outcomes.at(-1)).toBe("ok");
  // Each failing poll: the page asked, and asked once more at once (a cut on the way once reads).
  expect(requests.slice(0, PATIENCE)).toEqual([2, 2, 2]);
  // 15 pages of 100: a full page asked after every 4 that worked (and cut), 2 at the start.
  expect(requests.at(-1)).toBeLessThanOrEqual(22);
  expect(storedIds(r.db)).toEqual(validIds(r.sim, r.clock.now() - MINUTE));
});

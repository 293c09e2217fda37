/**
 * A server that does not escape a quote in an event's message, in two events of one page: read
 * item by item, the first stray quote pairs with the second, and the text between (a good event)
 * comes as part of one item that does not parse. The good event is stored all the same; each
 * broken one is quarantined as received, under its own id.
 */
import { expect, it } from "vitest";
import { MINUTE, rig, storedIds } from "./setup.js";
import { pollerVia, proxy } from "./stream-proxy.js";

it("stores the good event between two events with an unescaped quote", async () => {
  const r = await rig({ hours: 1 });
  const url = await proxy(r.sim.url, async (u, forward) => {
    const answer = await forward(u);
    return { ...answer, body: answer.body.replaceAll("QUOTE", '"') };
  });
  const poller = pollerVia(r, url);
  await poller.pollOnce(); // the backfill
  r.clock.advance(MINUTE);
  const time = new Date(r.clock.now()).toISOString();
  const event = (id: string, content: string) => ({
    id,
    type: "events",
    attributes: { time, action: "page_updated" },
    message: { content, format: "simple" },
  });
  r.sim.injectEvents([
    event("broken-a", "he said QUOTEhi"),
    event("good-b", "fine"),
    event("broken-c", "QUOTE ok"),
  ]);
  r.clock.advance(MINUTE);

  expect(await poller.pollOnce()).toMatchObject({ quarantined: 2 });
  expect(storedIds(r.db)).toContain("good-b");
  const rows = r.db
    .prepare<[], { event_id: string; raw: string }>(
      "SELECT event_id, raw FROM quarantined_events ORDER BY seq",
    )
    .all();
  expect(rows.map((row) => row.event_id)).toEqual(["broken-a", "broken-c"]);
  expect(rows[0]?.raw).toMatch(/^\{"id":"broken-a",.*"content":"he said "hi".*\}$/);
  expect(rows[1]?.raw).toMatch(/^\{"id":"broken-c",.*"content":"" ok".*\}$/);
});

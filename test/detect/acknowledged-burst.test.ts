/**
 * An agent loops: Alice's AI tool makes a call every 6 seconds. Past 50 calls in 10 minutes
 * mcp-burst posts a high alert and asks Alice. A responder acknowledges it ("someone is on it")
 * while the loop goes on: the same burst grows the acknowledged alert in its thread, never a new
 * high alert nor a second question to Alice. A burst after the window has passed is a new alert.
 * Real Bolt, a signed click, the fake Slack, SQLite, the live engine.
 */
import { expect, it } from "vitest";
import { DetectionEngine } from "../../src/detect/engine.js";
import type { NormalizedEvent } from "../../src/domain/event.js";
import { DAY, MINUTE } from "../../src/time-units.js";
import { askRig, RESPONDER } from "../slack/people/ask-rig.js";
import { CHANNEL } from "../slack/setup.js";
import { event, person } from "./engine-rig.js";

/** Six minutes of Alice's loop, its burst alert acknowledged; `minutes(n)` runs the loop on. */
async function acknowledgedBurst() {
  const a = await askRig();
  const engine = new DetectionEngine({
    stores: a.stores,
    clock: a.clock,
    logger: a.logs.logger,
    orgId: "org-1",
    config: a.rules,
  });
  const alice = person("acc-alice", "p1@example.com");
  const judge = async (es: NormalizedEvent[], backfilled = false) => {
    a.stores.events.insertMany(
      es.map((e) => ({ ...e, backfilled })),
      a.clock.now(),
    );
    engine.run();
    await a.poster.drain();
    await a.pass();
  };
  let n = 0;
  const call = (time: number) =>
    event({ ...alice, resource: `OPS-${n++}`, time, processedAt: time });
  // Her usual work, in the history fetched on first start: nothing about her is new.
  await judge([call(a.clock.now() - 3 * DAY)], true);
  /** The loop: a call every 6 s, read by a poll each minute. */
  const minutes = async (count: number) => {
    for (let m = 0; m < count; m++) {
      const t = a.clock.now();
      await judge(Array.from({ length: 10 }, (_, k) => call(t + k * 6_000)));
      a.clock.advance(MINUTE);
    }
  };
  await minutes(6);
  const bursts = () => a.stores.alerts.list("org-1").filter((x) => x.ruleId === "mcp-burst");
  const posts = () =>
    a.slack
      .messages(CHANNEL)
      .filter((m) => m.thread_ts === undefined && m.text.includes("within 10 minutes"));
  const [first] = bursts();
  if (!first) throw new Error("no mcp-burst alert");
  expect({ posts: posts().length, questions: a.dm().length }).toEqual({ posts: 1, questions: 1 });
  const where = { channel: CHANNEL, ts: posts()[0]?.ts ?? "" };
  await a.click("alert_acknowledge", RESPONDER, String(first.id), where);
  await a.slack.waitFor(() => (a.top(where.ts)?.updates ?? 0) > 0, 5000, "the update");
  await a.settled();
  return { a, first, where, bursts, posts, minutes };
}

it("acknowledging a running burst does not raise the same burst again", async () => {
  const { a, first, where, bursts, posts, minutes } = await acknowledgedBurst();
  await minutes(2);
  expect({ posts: posts().length, questions: a.dm().length }).toEqual({ posts: 1, questions: 1 });
  expect(bursts().map((x) => [x.id, x.status])).toEqual([[first.id, "acknowledged"]]);
  // The acknowledged alert took the burst's later calls, and says how large it is now.
  expect(a.stores.alerts.get(first.id)?.title).toMatch(/^\d+ MCP calls by/);
  expect(a.stores.alerts.get(first.id)?.eventCount).toBeGreaterThan(first.eventCount);
  expect(a.thread(where.ts).some((t) => t.startsWith("Now "))).toBe(true);
}, 60_000);

it("a burst after the acknowledged one's window has passed is a new alert", async () => {
  const { a, first, bursts, posts, minutes } = await acknowledgedBurst();
  a.clock.advance(30 * MINUTE);
  await minutes(6);
  expect(bursts().map((x) => x.status)).toEqual(["acknowledged", "open"]);
  expect(bursts()[1]?.id).not.toBe(first.id);
  expect({ posts: posts().length, questions: a.dm().length }).toEqual({ posts: 2, questions: 2 });
}, 60_000);

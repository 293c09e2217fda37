/**
 * An integration's API token runs a nightly export: 150 MCP calls in 25 minutes, each night,
 * against an account that otherwise makes a call an hour. mcp-api-token says "Spike of MCP calls
 * with an API token". A responder knows the job and clicks "Expected, mute 7 days": the next
 * night's same job stays out of the channel, and the thread names the pattern in words; a mute of
 * the token's ordinary use leaves its spikes alerting. Real Bolt, a signed click, the fake Slack,
 * SQLite, the live engine.
 */
import { expect, it } from "vitest";
import { DetectionEngine } from "../../src/detect/engine.js";
import type { NormalizedEvent } from "../../src/domain/event.js";
import { DAY, HOUR, MINUTE } from "../../src/time-units.js";
import { askRig, RESPONDER } from "../slack/people/ask-rig.js";
import { CHANNEL } from "../slack/setup.js";
import { tokenCall } from "./engine-rig.js";

/** The account's week of a call an hour, then `job()`: the nightly export, polled each minute. */
async function nightlyJob(startAt?: (now: number) => number) {
  const a = await askRig();
  if (startAt) a.clock.advance(startAt(a.clock.now()) - a.clock.now());
  const engine = new DetectionEngine({
    stores: a.stores,
    clock: a.clock,
    logger: a.logs.logger,
    orgId: "org-1",
    config: a.rules,
  });
  const judge = async (es: NormalizedEvent[], backfilled = false) => {
    a.stores.events.insertMany(
      es.map((e) => ({ ...e, backfilled })),
      a.clock.now(),
    );
    engine.run();
    await a.poster.drain();
    await a.pass();
  };
  const call = (time: number) => tokenCall({ time, processedAt: time });
  const start = a.clock.now();
  // The week before, in the history fetched on first start: a call an hour.
  await judge(
    Array.from({ length: 7 * 24 }, (_, h) => call(start - 7 * DAY + h * HOUR)),
    true,
  );
  // Its usual hourly call, live: the account's own pattern alert, once.
  await judge([call(start - 30 * MINUTE)]);
  /** 150 calls, one each 10 s, read by a poll each minute. */
  const job = async () => {
    const from = a.clock.now();
    for (let m = 0; m < 25; m++) {
      await judge(Array.from({ length: 6 }, (_, k) => call(from + m * MINUTE + k * 10_000)));
      a.clock.advance(MINUTE);
    }
  };
  const spikes = () =>
    a.slack
      .messages(CHANNEL)
      .filter((m) => m.thread_ts === undefined && m.text.includes("Spike of MCP calls"));
  return { a, job, spikes };
}

it("Expected, mute 7 days on a token's spike keeps the next night's same spike quiet", async () => {
  const { a, job, spikes } = await nightlyJob();
  await job();
  expect(spikes()).toHaveLength(1);
  const spike = a.stores.alerts
    .list("org-1")
    .find((x) => x.notify && x.title.startsWith("Spike of MCP calls"));
  if (!spike) throw new Error("no spike alert");
  const where = { channel: CHANNEL, ts: spikes()[0]?.ts ?? "" };
  await a.click("alert_expected_mute", RESPONDER, String(spike.id), where);
  await a.waitForThread(where.ts, "muted");
  // The pattern's spikes muted in words: what the account does and where, not a day's number.
  const said = a.thread(where.ts).find((t) => t.includes("muted")) ?? "";
  expect(said).toContain("(read · acme.atlassian.net · spike only)");
  a.clock.advance(DAY - 25 * MINUTE);
  await job();
  expect(spikes()).toHaveLength(1);
}, 60_000);

it("Expected, mute 7 days on a token's ordinary use leaves its next spike alerting", async () => {
  const { a, job, spikes } = await nightlyJob();
  const firstUse = a.stores.alerts
    .list("org-1")
    .find((x) => x.notify && x.title.startsWith("MCP call with an API token"));
  if (!firstUse) throw new Error("no first-use alert");
  const ts =
    a.slack
      .messages(CHANNEL)
      .find((m) => m.thread_ts === undefined && m.text.includes("MCP call with an API token"))
      ?.ts ?? "";
  await a.click("alert_expected_mute", RESPONDER, String(firstUse.id), { channel: CHANNEL, ts });
  await a.waitForThread(ts, "muted");
  a.clock.advance(DAY);
  // A stolen token's burst is the change `once` alerts for: the quiet use's mute does not cover it.
  await job();
  expect(spikes()).toHaveLength(1);
  const stored = a.stores.alerts
    .list("org-1")
    .filter((x) => x.title.startsWith("Spike of MCP calls"));
  expect(stored.map((x) => x.suppressedBy ?? null)).toEqual([null]);
}, 60_000);

it("one run of the job across midnight UTC is one spike, not two", async () => {
  // 23:40 UTC.
  const { job, spikes } = await nightlyJob((now) => Math.ceil(now / DAY) * DAY - 20 * MINUTE);
  await job();
  expect(spikes()).toHaveLength(1);
}, 60_000);

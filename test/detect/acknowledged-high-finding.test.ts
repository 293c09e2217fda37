/**
 * An acknowledged alert takes no high finding: Alice's one deletion is posted and acknowledged,
 * and when her account deletes 40 issues six hours later, that is a new alert, posted as any new
 * alert (its own message and buttons), which the later deletions grow. A lower finding still
 * grows the acknowledged alert, in its thread. Real Bolt, a signed click, the fake Slack, SQLite,
 * the live engine.
 */
import { expect, it } from "vitest";
import { DetectionEngine } from "../../src/detect/engine.js";
import { parseRulesText } from "../../src/detect/rules-file.js";
import type { NormalizedEvent } from "../../src/domain/event.js";
import { DAY, HOUR, MINUTE } from "../../src/time-units.js";
import { askRig, RESPONDER } from "../slack/people/ask-rig.js";
import { CHANNEL } from "../slack/setup.js";
import { event } from "./engine-rig.js";

async function deletions(rules: string) {
  const a = await askRig();
  const engine = new DetectionEngine({
    stores: a.stores,
    clock: a.clock,
    logger: a.logs.logger,
    orgId: "org-1",
    config: parseRulesText(rules, "rules.yml"),
  });
  const judge = async (es: NormalizedEvent[], backfilled = false) => {
    a.stores.events.insertMany(
      es.map((e) => ({ ...e, backfilled })),
      a.clock.now(),
    );
    engine.run();
    await a.poster.drain();
  };
  const del = (time: number, n: number) =>
    event({
      tool: "deleteJiraIssue",
      toolClass: "destructive",
      resource: `OPS-${n}`,
      time,
      processedAt: time,
    });
  await judge([del(a.clock.now() - 3 * DAY, 0)], true); // the tool is not new
  await judge([del(a.clock.now(), 1)]);
  const [first] = a.stores.alerts.list("org-1").filter((x) => x.ruleId === "mcp-destructive");
  if (!first) throw new Error("no mcp-destructive alert");
  const messageOf = (id: number) =>
    a.slack
      .messages(CHANNEL)
      .find((m) => JSON.stringify(m.blocks ?? []).includes(`"alert_actions_${id}"`));
  const where = { channel: CHANNEL, ts: messageOf(first.id)?.ts ?? "" };
  await a.click("alert_acknowledge", RESPONDER, String(first.id), where);
  await a.slack.waitFor(() => (a.top(where.ts)?.updates ?? 0) > 0, 5000, "the update");
  await a.settled();
  a.clock.advance(6 * HOUR);
  for (let m = 0; m < 10; m++) {
    const t = a.clock.now();
    await judge([0, 1, 2, 3].map((k) => del(t + k * 10_000, 100 + m * 4 + k)));
    a.clock.advance(MINUTE);
  }
  a.clock.advance(HOUR);
  await a.pass();
  await a.poster.drain();
  const alerts = a.stores.alerts.list("org-1").filter((x) => x.ruleId === "mcp-destructive");
  const top = a.slack.messages(CHANNEL).filter((m) => m.thread_ts === undefined);
  return { first, alerts, top, messageOf, thread: a.thread(where.ts) };
}

it("40 deletions six hours after one acknowledged deletion are a new alert of their own", async () => {
  const { first, alerts, messageOf } = await deletions("");
  const byId = alerts.sort((x, y) => x.id - y.id).map((x) => [x.eventCount, x.status]);
  expect(byId).toEqual([
    [1, "acknowledged"],
    [40, "open"],
  ]);
  const second = alerts.find((x) => x.id !== first.id);
  // Posted as any new alert: its own message, with its buttons.
  expect(second && messageOf(second.id)).toBeDefined();
}, 60_000);

it("a lower finding still grows the acknowledged alert, told in its thread", async () => {
  const { alerts, thread } = await deletions("rules:\n  mcp-destructive: { severity: medium }\n");
  expect(alerts.map((x) => [x.eventCount, x.status])).toEqual([[41, "acknowledged"]]);
  expect(thread.some((t) => t.startsWith("Now "))).toBe(true);
}, 60_000);

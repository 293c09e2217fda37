/**
 * One admin acting on many accounts is one alert about the admin, grown in its thread while it is
 * open, keeping its first account as its subject; once acknowledged, the next account acted on
 * (a high finding) opens a new alert. Real Bolt, the fake Slack, SQLite, the engine.
 */
import { expect, it } from "vitest";
import { MINUTE } from "../../../src/time-units.js";
import { twoStepOff } from "../../detect/engine-rig.js";
import { RESPONDER } from "../people/ask-rig.js";
import { CHANNEL } from "../setup.js";
import { judgingRig } from "./judging-rig.js";

async function rig() {
  const { a, judge } = await judgingRig();
  const alerts = () =>
    a.stores.alerts.list("org-1").filter((x) => x.ruleId === "two-step-disabled");
  const top = () => a.slack.messages(CHANNEL).filter((m) => m.thread_ts === undefined);
  return { a, judge, alerts, top };
}

it("an admin turning off 2SV for 30 accounts in one minute is one alert and one message", async () => {
  const { a, judge, alerts, top } = await rig();
  const t0 = a.clock.now();
  await judge(
    Array.from({ length: 30 }, (_, i) =>
      twoStepOff({ id: `acc-${i}`, name: `User ${i}` }, t0 + i * 2000),
    ),
  );
  const [alert, ...more] = alerts();
  expect(more).toHaveLength(0);
  expect(alert?.eventCount).toBe(30);
  // The alert keeps its first account: a mute set from it covers that account alone.
  expect(alert?.subject).toBe("acc-0");
  expect(top()).toHaveLength(1);
}, 120_000);

it("once the alert is acknowledged, the admin acting on another account opens a new alert", async () => {
  const { a, judge, alerts, top } = await rig();
  await judge([twoStepOff({ id: "acc-bob", name: "Bob" }, a.clock.now())]);
  a.clock.advance(MINUTE);
  await judge([twoStepOff({ id: "acc-carla", name: "Carla" }, a.clock.now())]);
  const [first, ...more] = alerts();
  expect(more).toHaveLength(0);
  expect(first?.eventCount).toBe(2);
  if (!first) throw new Error("no alert");
  const msg = a.slack
    .messages(CHANNEL)
    .find((m) => JSON.stringify(m.blocks ?? []).includes(`"alert_actions_${first.id}"`));
  const where = { channel: CHANNEL, ts: msg?.ts ?? "" };
  await a.click("alert_acknowledge", RESPONDER, String(first.id), where);
  await a.slack.waitFor(
    () => a.stores.alerts.get(first.id)?.status === "acknowledged",
    5000,
    "the acknowledgement",
  );
  await a.settled();
  a.clock.advance(MINUTE);
  await judge([twoStepOff({ id: "acc-eve", name: "Eve" }, a.clock.now())]);
  const after = alerts();
  expect(after).toHaveLength(2);
  expect(after.find((x) => x.id !== first.id)?.subject).toBe("acc-eve");
  expect(top()).toHaveLength(2);
}, 60_000);

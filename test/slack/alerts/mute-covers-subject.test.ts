/**
 * "Expected, mute 7 days" on an alert covers that alert's subject: the account an admin acted on,
 * the country a person called from. A different subject of the same rule and person still reaches
 * the channel. Real Bolt, a signed click, the fake Slack, SQLite, the engine.
 */
import { expect, it } from "vitest";
import { readLearned } from "../../../src/slack/alerts/triage.js";
import { learningBlocks } from "../../../src/slack/blocks/learning.js";
import { muteBlocks } from "../../../src/slack/blocks/mutes.js";
import { DAY, HOUR } from "../../../src/time-units.js";
import { event, twoStepOff } from "../../detect/engine-rig.js";
import { RESPONDER } from "../people/ask-rig.js";
import { CHANNEL } from "../setup.js";
import { judgingRig } from "./judging-rig.js";

/** The rig, an engine over its stores, and a click on an alert's message. */
async function rig() {
  const { a, judge } = await judgingRig();
  const muteFrom = async (alertId: number) => {
    const msg = a.slack
      .messages(CHANNEL)
      .find((m) => JSON.stringify(m.blocks ?? []).includes(`"alert_actions_${alertId}"`));
    const where = { channel: CHANNEL, ts: msg?.ts ?? "" };
    await a.click("alert_expected_mute", RESPONDER, String(alertId), where);
    await a.slack.waitFor(() => (a.top(where.ts)?.updates ?? 0) > 0, 5000, "the update");
    await a.settled();
    return where;
  };
  const posted = (text: string) =>
    a.slack
      .messages(CHANNEL)
      .filter((m) => m.thread_ts === undefined && String(m.text).includes(text));
  const replies = (ts: string) =>
    a.slack
      .messages(CHANNEL)
      .filter((m) => m.thread_ts === ts)
      .map((m) => String(m.text));
  return { a, judge, muteFrom, posted, replies };
}

it("a mute of 2SV turned off for Bob by Dana leaves Dana turning it off for the CEO the next day in the channel", async () => {
  const { a, judge, muteFrom, posted, replies } = await rig();
  await judge(twoStepOff({ id: "acc-bob", name: "Bob (lost his phone)" }, a.clock.now()));
  const [bob] = a.stores.alerts.list("org-1").filter((x) => x.ruleId === "two-step-disabled");
  if (!bob) throw new Error("no alert");
  expect(bob.title).toContain("Bob");
  const where = await muteFrom(bob.id);
  // The click's reply says what is quiet: Dana's alerts about Bob, not every alert about Dana.
  expect(replies(where.ts).join("\n")).toContain("Bob (lost his phone)");

  a.clock.advance(24 * HOUR);
  await judge(twoStepOff({ id: "acc-bob", name: "Bob (lost his phone)" }, a.clock.now()));
  expect(posted("for Bob")).toHaveLength(1); // the mute still covers Bob
  await judge(twoStepOff({ id: "acc-ceo", name: "Carla CEO" }, a.clock.now()));
  expect(posted("Carla CEO")).toHaveLength(1);
}, 60_000);

it("a mute of Alice's trip to France leaves her call from North Korea the next day in the channel", async () => {
  const { a, judge, muteFrom, posted } = await rig();
  for (let d = 5; d >= 1; d--)
    await judge(
      event({ country: "Germany", ip: "203.0.113.10", time: a.clock.now() - d * DAY }),
      true,
    );
  await judge(event({ country: "France", ip: "198.51.100.5", time: a.clock.now() }));
  const [france] = a.stores.alerts.list("org-1").filter((x) => x.ruleId === "mcp-new-location");
  if (!france) throw new Error("no new-location alert");
  await muteFrom(france.id);
  const [listed] = a.stores.mutes.list(a.clock.now(), "org-1");
  expect(listed?.subjectLabel).toBe("France");
  expect(JSON.stringify(muteBlocks(listed ? [listed] : []))).toContain("(France only)");

  a.clock.advance(20 * HOUR);
  await judge(event({ country: "North Korea", ip: "175.45.176.9", time: a.clock.now() }));
  const nk = a.stores.alerts.list("org-1").find((x) => x.title.includes("North Korea"));
  expect(nk?.suppressedBy ?? null).toBeNull();
  expect(posted("North Korea")).toHaveLength(1);
}, 60_000);

it("says on the alert which subject its mute covers", async () => {
  const { a, judge, muteFrom } = await rig();
  await judge(twoStepOff({ id: "acc-bob", name: "Bob (lost his phone)" }, a.clock.now()));
  const [bob] = a.stores.alerts.list("org-1");
  if (!bob) throw new Error("no alert");
  await muteFrom(bob.id);
  const learned = readLearned(a.stores, bob, a.clock.now());
  expect(learned.mute?.subjectLabel).toBe("Bob (lost his phone)");
  const shown = JSON.stringify(learningBlocks(bob, learned));
  expect(shown).toContain("Muted (Bob (lost his phone) only) until");
  // An alert about another account of the same admin shows no mute of its own.
  expect(readLearned(a.stores, { ...bob, subject: "acc-ceo" }, a.clock.now()).mute).toBeUndefined();
}, 60_000);

/**
 * "Expected, mute 7 days" on Alice's new-country alert (France) keeps her new networks in France
 * quiet for the mute's days, as its reply says "(France only)"; a call from another new country
 * still reaches the channel. Real Bolt, a signed click, the fake Slack, SQLite, the engine.
 */
import { expect, it } from "vitest";
import { DetectionEngine } from "../../../src/detect/engine.js";
import { parseRulesText } from "../../../src/detect/rules-file.js";
import type { NormalizedEvent } from "../../../src/domain/event.js";
import { DAY, HOUR } from "../../../src/time-units.js";
import { event } from "../../detect/engine-rig.js";
import { askRig, RESPONDER } from "../people/ask-rig.js";
import { CHANNEL } from "../setup.js";

const RULES = "rules: { mcp-new-location: { by: either } }\n";

it("a mute of Alice's France keeps her new network in France quiet, not her next new country", async () => {
  const a = await askRig(RULES);
  const engine = new DetectionEngine({
    stores: a.stores,
    clock: a.clock,
    logger: a.logs.logger,
    orgId: "org-1",
    config: parseRulesText(RULES, "rules.yml"),
  });
  const judge = async (e: NormalizedEvent, backfilled = false) => {
    a.stores.events.insertMany([{ ...e, backfilled }], a.clock.now());
    engine.run();
    await a.poster.drain();
  };
  for (let d = 5; d >= 1; d--)
    await judge(
      event({ id: `h${d}`, country: "Germany", ip: "203.0.113.10", time: a.clock.now() - d * DAY }),
      true,
    );
  await judge(event({ id: "fr1", country: "France", ip: "198.51.100.5", time: a.clock.now() }));
  const [france] = a.stores.alerts.list("org-1").filter((x) => x.ruleId === "mcp-new-location");
  if (!france) throw new Error("no alert");
  const msg = a.slack
    .messages(CHANNEL)
    .find((m) => JSON.stringify(m.blocks ?? []).includes(`"alert_actions_${france.id}"`));
  const where = { channel: CHANNEL, ts: msg?.ts ?? "" };
  await a.click("alert_expected_mute", RESPONDER, String(france.id), where);
  await a.slack.waitFor(() => (a.top(where.ts)?.updates ?? 0) > 0, 5000, "the update");
  await a.settled();
  expect(a.thread(where.ts).at(-1)).toContain("(France only)");

  a.clock.advance(20 * HOUR);
  await judge(event({ id: "fr2", country: "France", ip: "192.0.2.77", time: a.clock.now() }));
  const network = a.stores.alerts.list("org-1").find((x) => x.title.includes("192.0.2.77"));
  expect(network?.notify).toBe(false);
  expect(network?.suppressedBy).toContain("marked expected");
  const top = (text: string) =>
    a.slack
      .messages(CHANNEL)
      .filter((m) => m.thread_ts === undefined && String(m.text).includes(text));
  expect(top("192.0.2.77")).toHaveLength(0);

  a.clock.advance(HOUR);
  await judge(event({ id: "es1", country: "Spain", ip: "85.84.0.9", time: a.clock.now() }));
  expect(top("Spain")).toHaveLength(1);
}, 60_000);

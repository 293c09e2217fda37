/**
 * `once` mode: a second subject within the grouping window (a person's second new country minutes
 * after the first) is an alert of its own, named in Slack. Real SQLite file, the engine, the
 * outbox, the fake Slack Web API.
 */
import { describe, expect, it } from "vitest";
import { DetectionEngine } from "../../../src/detect/engine.js";
import { parseRulesText } from "../../../src/detect/rules-file.js";
import { HOUR, MINUTE } from "../../../src/time-units.js";
import { event } from "../../detect/engine-rig.js";
import { CHANNEL, slackRig } from "../setup.js";

describe("Alice's calls from France, then from Spain five minutes later", () => {
  it("are two alerts, each posted and naming its country", async () => {
    const r = await slackRig();
    const engine = new DetectionEngine({
      stores: r.stores,
      clock: r.clock,
      logger: r.logs.logger,
      orgId: "org-1",
      config: parseRulesText("", "rules.yml"),
    });
    const judge = async (e: ReturnType<typeof event>, backfilled = false) => {
      r.stores.events.insertMany([{ ...e, backfilled }], r.clock.now());
      engine.run();
      r.queued();
      await r.settled();
      await r.poster.drain();
    };
    // History: Alice works from Berlin.
    await judge(event({ time: r.clock.now() - 24 * HOUR }), true);
    await judge(
      event({ country: "France", city: "Paris", ip: "198.51.100.7", time: r.clock.now() }),
    );
    r.clock.advance(5 * MINUTE);
    await judge(
      event({
        country: "Spain",
        city: "Madrid",
        ip: "192.0.2.44",
        resource: "OPS-2",
        time: r.clock.now(),
      }),
    );
    const location = r.stores.alerts.list("org-1").filter((a) => a.ruleId === "mcp-new-location");
    expect(location.map((a) => [a.title, a.eventCount, a.notify, a.suppressedBy])).toEqual([
      ["MCP call by Alice Example from France, not seen in 90 days", 1, true, null],
      ["MCP call by Alice Example from Spain, not seen in 90 days", 1, true, null],
    ]);
    const told = r.slack.messages(CHANNEL).map((m) => m.text);
    expect(told.filter((t) => t.includes("France"))).toHaveLength(1);
    expect(told.filter((t) => t.includes("Spain"))).toHaveLength(1);
    // Each country is recorded as its own alert's subject.
    const known = (country: string) =>
      r.stores.subjects.alerted("org-1", "mcp-new-location", `acc-alice|${country}`)?.alertId;
    expect([known("France"), known("Spain")]).toEqual(location.map((a) => a.id));
  }, 60_000);
});

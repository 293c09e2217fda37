/**
 * An alert opened below minSeverity (stored, not posted) reaches the channel when a finding for
 * it grows it: that alert tells its subject, dated at the call that brought it there, in any mode,
 * so a `once` rule keeps quiet about the subject afterwards. The simulator, the real pipeline and
 * SQLite; an alert kept out of the channel for days, with the engine and SQLite alone.
 */
import { describe, expect, it } from "vitest";
import { parseRulesText } from "../../src/detect/rules-file.js";
import { setup, tokenCall } from "./engine-rig.js";
import { DAY, MINUTE, pipeline, uid } from "./evasion/rig.js";
import { T0 } from "./fixtures.js";

/** Mallory creating a low API token, then one named for an AI tool (high) 3 minutes later. */
async function grownIntoChannel(rules: string) {
  const p = await pipeline(rules);
  const action = p.r.sim.org.actionKeyOf("api_token_created");
  const token = (label: string) => ({
    id: uid(),
    type: "events",
    attributes: {
      time: new Date(p.r.clock.now() - 5_000).toISOString(),
      action,
      actor: { id: "acct-mallory", name: "Mallory", email: "mallory@acme.test" },
      context: [{ id: uid(), type: "api-token", attributes: { label } }],
      container: [],
    },
    message: { content: `Mallory created API token “${label}”`, format: "simple" },
  });
  await p.feed([token("backup-script")]); // low: stored, not posted
  p.r.clock.advance(3 * MINUTE);
  await p.feed([token("claude-mcp")]); // high: grows the low alert, which is posted
  const subjects = () =>
    p.r.db
      .prepare(
        "SELECT alert_id AS alertId, first_at AS at FROM alert_subjects WHERE rule_id = 'api-token-created'",
      )
      .all();
  const posted = () => p.alerts().filter((a) => a.ruleId === "api-token-created" && a.notify);
  // The high call, the last the alert has taken: the one that brought it to the channel.
  const toldAt = posted()[0]?.lastSeen;
  return { p, token, subjects, posted, toldAt };
}

describe("an alert brought to the channel by a finding that grew it", () => {
  it("tells its subject from the call that brought it to the channel, in alert mode too", async () => {
    const { subjects, posted, toldAt } = await grownIntoChannel(
      "rules:\n  api-token-created: { mode: alert }\n",
    );
    const [alert] = posted();
    expect(toldAt).toBeGreaterThan(alert?.firstSeen ?? Number.POSITIVE_INFINITY);
    expect(subjects()).toEqual([{ alertId: alert?.id, at: toldAt }]);
  }, 60_000);

  it("keeps a once subject quiet days later, its time not moved by later calls", async () => {
    const { p, token, subjects, posted, toldAt } = await grownIntoChannel(
      "rules:\n  api-token-created: { mode: once }\n",
    );
    p.r.clock.advance(MINUTE);
    await p.feed([token("copilot-mcp")]); // grows the alert already told
    p.r.clock.advance(3 * DAY);
    await p.feed([token("cursor-agent")]); // high, same person (the once subject), 3 days on
    const [alert] = posted();
    expect(posted().map((a) => a.eventCount)).toEqual([3]);
    expect(subjects()).toEqual([{ alertId: alert?.id, at: toldAt }]);
  }, 60_000);

  it("counts onceDays from when it was told, not from its first call days before", () => {
    const s = setup("");
    const rules = (text: string) => parseRulesText(text, "rules.yml");
    const quiet = rules("minSeverity: high\nrules:\n  mcp-api-token: { onceDays: 1 }\n");
    const loud = rules("rules:\n  mcp-api-token: { onceDays: 1 }\n");
    const call = (at: number, r: typeof quiet) => {
      s.clock.advance(at - s.clock.now());
      s.store([tokenCall({ time: at, processedAt: at })], at);
      s.engine(r).run();
    };
    const posted = () => s.alerts().filter((a) => a.ruleId === "mcp-api-token" && a.notify);
    // A steady token for 3 days while minSeverity is high: one alert, not posted.
    let t = T0;
    for (; t <= T0 + 3 * DAY; t += 9 * MINUTE) call(t, quiet);
    expect(posted()).toEqual([]);
    // minSeverity lowered: the next call brings it to the channel, and the next ones keep quiet.
    call(t, loud);
    call(t + 9 * MINUTE, loud);
    call(t + 18 * MINUTE, loud);
    expect(posted()).toHaveLength(1);
  }, 120_000);
});

/**
 * An alert opened below minSeverity (stored, not posted) reaches the channel when a finding for
 * it grows it: that alert tells its subject, dated at its first call, in any mode, so a `once`
 * rule keeps quiet about the subject afterwards. The simulator, the real pipeline and SQLite.
 */
import { describe, expect, it } from "vitest";
import { DAY, MINUTE, pipeline, uid } from "./evasion/rig.js";

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
  return { p, token, subjects, posted };
}

describe("an alert brought to the channel by a finding that grew it", () => {
  it("tells its subject from its first call, in alert mode too", async () => {
    const { subjects, posted } = await grownIntoChannel(
      "rules:\n  api-token-created: { mode: alert }\n",
    );
    const [alert] = posted();
    expect(subjects()).toEqual([{ alertId: alert?.id, at: alert?.firstSeen }]);
  }, 60_000);

  it("keeps a once subject quiet days later, its time not moved by later calls", async () => {
    const { p, token, subjects, posted } = await grownIntoChannel(
      "rules:\n  api-token-created: { mode: once }\n",
    );
    p.r.clock.advance(MINUTE);
    await p.feed([token("copilot-mcp")]); // grows the alert already told
    p.r.clock.advance(3 * DAY);
    await p.feed([token("cursor-agent")]); // high, same person (the once subject), 3 days on
    const [alert] = posted();
    expect(posted().map((a) => a.eventCount)).toEqual([3]);
    expect(subjects()).toEqual([{ alertId: alert?.id, at: alert?.firstSeen }]);
  }, 60_000);
});

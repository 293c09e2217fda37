/**
 * A Suppress (add to rules) clicked while the host's clock ran six hours ahead, once NTP steps it
 * back: it keeps the rule and person quiet from when the step is seen, as a mute does, not only
 * six hours later. Real Bolt, signed clicks, the fake Slack on 127.0.0.1, a real SQLite file,
 * the detection engine.
 */
import { describe, expect, it } from "vitest";
import { DetectionEngine } from "../../src/detect/engine.js";
import { parseRulesText } from "../../src/detect/rules-file.js";
import { repositories } from "../../src/store/repositories.js";
import { HOUR, MINUTE } from "../../src/time-units.js";
import { normalizedEvent } from "../detect/fixtures.js";
import { learningRig, RESPONDER } from "./learning-rig.js";

describe("a Suppress clicked while the clock ran six hours ahead", () => {
  it("keeps the rule and person quiet once NTP steps the clock back, as a mute does", async () => {
    const r = await learningRig();
    await r.markExpected(3);
    const id = await r.raise();
    // The host's clock runs six hours ahead when the responder clicks Suppress.
    await r.click("alert_suppress", id);
    expect(r.stores.suppressions.list()).toHaveLength(1);
    const engine = new DetectionEngine({
      stores: repositories(r.db),
      clock: r.clock,
      logger: r.logs.logger,
      orgId: "org-1",
      config: parseRulesText("", "rules.yml"),
    });
    // NTP steps the clock back six hours; the engine's next run sees it.
    r.clock.advance(-6 * HOUR);
    engine.run();
    // Ten minutes later (really), Pat's next destructive call, stored and judged.
    r.clock.advance(10 * MINUTE);
    const at = r.clock.now();
    const base = normalizedEvent();
    r.stores.events.insertMany(
      [
        {
          ...base,
          id: "ev-after-click",
          userId: "acc-pat",
          actorId: "acc-pat",
          tool: "deleteJiraIssue",
          toolClass: "destructive",
          time: at,
        },
      ],
      at,
    );
    engine.run();
    const later = r.alerts.list("org-1").filter((a) => a.firstSeen === at);
    expect(later.map((a) => [a.ruleId, a.notify, a.suppressedBy])).toContainEqual([
      "mcp-destructive",
      false,
      `suppressed by <@${RESPONDER}>: marked expected 3 times within 30 days`,
    ]);
    expect(r.logs.text()).toContain(
      "1 suppression(s) added by a clock that was ahead (later than now) hold from now",
    );
  });
});

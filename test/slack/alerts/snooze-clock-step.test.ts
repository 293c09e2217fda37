/**
 * A snooze clicked while the host's clock ran six hours ahead, once NTP steps it back: it keeps
 * the rule and person quiet for the hour after the click, not an hour six hours later. Real
 * Bolt, signed clicks, the fake Slack on 127.0.0.1, a real SQLite file, the detection engine.
 */
import { describe, expect, it } from "vitest";
import { DetectionEngine } from "../../../src/detect/engine.js";
import { EventActionStore } from "../../../src/store/event-actions.js";
import { HOUR, MINUTE } from "../../../src/time-units.js";
import { event, person } from "../../detect/engine-rig.js";
import { MCP_TOOL_CALLED } from "../../detect/fixtures.js";
import { askRig, RESPONDER } from "../people/ask-rig.js";

describe("a snooze clicked while the clock ran six hours ahead", () => {
  it("keeps the next hour's alerts of the rule and person quiet once NTP steps the clock back, and no later ones", async () => {
    const a = await askRig();
    new EventActionStore(a.db).replace("org-1", [MCP_TOOL_CALLED], () => false, a.clock.now());
    const engine = new DetectionEngine({
      stores: a.stores,
      clock: a.clock,
      logger: a.logs.logger,
      orgId: "org-1",
      config: a.rules,
    });
    const mallory = person("acc-1", "p1@example.com");
    const destructive = { tool: "deleteJiraIssue", toolClass: "destructive" as const };
    // An alert the engine's findings do not grow (another group).
    const { id, where } = await a.postAlert({
      ruleId: "mcp-destructive",
      severity: "high",
      groupKey: "mcp-destructive|acc-1|clicked",
    });
    await a.click("alert_snooze", RESPONDER, `${id}:1`, where, true);
    await a.slack.waitFor(() => a.thread(where.ts).some((t) => t.startsWith("💤")));
    await a.settled();
    // NTP steps the clock back six hours; the engine's next run sees it.
    a.clock.advance(-6 * HOUR);
    engine.run();
    /** A destructive call by the same person `later` from now, stored and judged then. */
    const call = (later: number) => {
      a.clock.advance(later);
      const at = a.clock.now();
      a.stores.events.insertMany(
        [event({ ...mallory, ...destructive, id: `late-${at}`, time: at })],
        at,
      );
      engine.run();
      const alerts = a.alerts.list("org-1").filter((x) => x.ruleId === "mcp-destructive");
      return alerts.at(-1);
    };
    const inTheHour = call(10 * MINUTE);
    expect(inTheHour?.id).not.toBe(id);
    expect(inTheHour?.suppressedBy ?? "not quiet").toMatch(/^snoozed for 1 h/);
    // Six hours on, the snooze has long ended.
    const later = call(6 * HOUR);
    expect(later?.id).not.toBe(inTheHour?.id);
    expect(later?.suppressedBy).toBeNull();
  });
});

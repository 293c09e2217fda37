import { describe, expect, it } from "vitest";
import { DetectionEngine } from "../../src/detect/engine.js";
import { parseRulesText } from "../../src/detect/rules-file.js";
import { settingsText } from "../../src/slack/blocks/settings.js";
import { AlertStore } from "../../src/store/alerts.js";
import { repositories } from "../../src/store/repositories.js";
import { DAY, NOW, rig } from "../ingest/setup.js";

const config = parseRulesText(
  [
    "watch:",
    "  - { issue: OPS-9001, canary: true }",
    "  - { space: HR, severity: high }",
    "  - { project: LEG }",
  ].join("\n"),
  "rules.yml",
);

describe("watched places and canaries, through the simulator", () => {
  it("raise on the seeded canary read and on calls into a watched space, naming the policy to set", async () => {
    let engine: DetectionEngine | undefined;
    const r = await rig({
      hours: 4 * 24,
      // Every action under a key of the simulator's making: learnt from /event-actions names.
      sim: { profile: "realistic", people: 30, obfuscateActions: true },
      poller: { onCommit: () => engine?.runSafely() },
    });
    engine = new DetectionEngine({
      stores: repositories(r.db),
      clock: r.clock,
      logger: r.logs.logger,
      orgId: r.sim.orgId,
      config,
    });
    await r.poller.pollOnce(); // the history: never alerted on
    expect(r.count("action LIKE 'rovo%'")).toBe(0);
    expect(r.count("is_mcp = 1")).toBeGreaterThan(100);
    const alerts = new AlertStore(r.db);
    expect(alerts.list(r.sim.orgId)).toEqual([]);

    r.clock.advance(2 * DAY);
    await r.poller.pollOnce();
    const raised = alerts.list(r.sim.orgId);
    const canaryRead = r.sim.org.incidents().find((i) => i.kind === "canary-read");
    expect(canaryRead?.at).toBeGreaterThan(NOW);
    const canaries = raised.filter((a) => a.ruleId === "mcp-canary");
    expect(canaries).toHaveLength(1);
    expect(canaries[0]).toMatchObject({
      severity: "high",
      userId: canaryRead?.actorId,
      notify: true,
      detail: { watched: "issue OPS-9001", tool: "getJiraIssue" },
    });

    const hr = raised.filter((a) => a.ruleId === "mcp-watched-place");
    expect(hr.length).toBeGreaterThan(0);
    for (const alert of hr)
      expect(alert).toMatchObject({ severity: "high", detail: { watched: "space HR" } });
    // Each person's calls into the space in a day make one alert: its count says how many.
    const people = new Set(hr.map((a) => a.userId));
    expect(hr.length).toBeLessThanOrEqual(people.size * 3);
    const calls = hr.reduce((n, a) => n + a.eventCount, 0);
    expect(calls).toBeGreaterThan(hr.length);

    const [first, canary] = [hr[0], canaries[0]];
    if (!first || !canary) throw new Error("no alerts to ask about");
    const advice = settingsText(first);
    expect(advice).toContain("Keep the MCP app out of space HR");
    expect(advice).toContain("Security → Data protection → Data security policies");
    expect(settingsText(canary)).toContain("its project OPS");
  }, 60_000);
});

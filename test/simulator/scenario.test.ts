import { describe, expect, it } from "vitest";
import { DetectionEngine } from "../../src/detect/engine.js";
import { parseRulesText } from "../../src/detect/rules-file.js";
import { scenarioRulesYaml, scriptedScenario } from "../../src/simulator/scenario.js";
import { AlertStore } from "../../src/store/alerts.js";
import { repositories } from "../../src/store/repositories.js";
import { MINUTE, NOW, rig } from "../ingest/setup.js";

describe("the scripted scenario, under action keys nobody published", () => {
  it("raises each kind of alert end to end, the keys learnt from /event-actions names", async () => {
    let engine: DetectionEngine | undefined;
    const r = await rig({
      hours: 6,
      sim: { obfuscateActions: true },
      poller: { onCommit: () => engine?.runSafely() },
    });
    engine = new DetectionEngine({
      stores: repositories(r.db),
      clock: r.clock,
      logger: r.logs.logger,
      orgId: r.sim.orgId,
      // The demo's rules: the defaults and the canary its scenario reads.
      config: parseRulesText(scenarioRulesYaml(r.sim.org), "demo-rules.yml"),
    });
    await r.poller.pollOnce(); // the history: never alerted on
    for (const step of scriptedScenario(r.sim.org, NOW)) r.sim.stream.inject([step.event], step.at);
    r.clock.advance(3 * MINUTE);
    await r.poller.pollOnce();

    // No published key reached the store: every action was recognised by its display name.
    expect(
      r.count("action LIKE 'rovo%' OR action LIKE '%twosv%' OR action LIKE '%api_token%'"),
    ).toBe(0);
    const alerts = new AlertStore(r.db).list(r.sim.orgId).filter((a) => a.firstSeen >= NOW);
    const rules = new Set(alerts.map((a) => a.ruleId));
    for (const rule of [
      "mcp-first-use",
      "mcp-destructive",
      "mcp-api-token",
      "mcp-burst",
      "mcp-new-tool",
      "mcp-canary",
      "api-token-created",
      "two-step-disabled",
      "org-admin-granted",
      "user-impersonated",
      "auth-policy-changed",
    ])
      expect(rules, rule).toContain(rule);
    const byTitle = (rule: string) => alerts.filter((a) => a.ruleId === rule).map((a) => a.title);
    expect(byTitle("api-token-created")).toEqual([
      expect.stringContaining("“cursor-mcp”, named for an AI tool"),
    ]);
    expect(alerts.find((a) => a.ruleId === "api-token-created")?.severity).toBe("high");
    expect(byTitle("mcp-new-tool")).toContainEqual(
      "New MCP tool executeWrite → createJiraIssueLink (write) used by svc-release-agent",
    );
    expect(byTitle("mcp-destructive").join("\n")).toContain("deleteJiraIssue");
    const canary = alerts.filter((a) => a.ruleId === "mcp-canary");
    expect(canary.map((a) => a.title)).toEqual([
      expect.stringMatching(/^An AI tool read canary issue [A-Z]+-9001 as /),
    ]);
    expect(canary[0]?.severity).toBe("high");
    // The label "getConfluencePage" does not hide the delete the message names.
    expect(
      r.count("tool = 'deleteConfluencePage' AND tool_class = 'destructive' AND backfilled = 0"),
    ).toBe(1);
  });
});

import { describe, expect, it } from "vitest";
import { DetectionEngine } from "../../src/detect/engine.js";
import { parseRulesText } from "../../src/detect/rules-file.js";
import { settingsText } from "../../src/slack/actions.js";
import { AlertStore } from "../../src/store/alerts.js";
import { repositories } from "../../src/store/repositories.js";
import { DAY, MINUTE, NOW, rig } from "../ingest/setup.js";

/** Weeks of a realistic organization's history, then days live, rules on what arrives. */
async function weeksThenLive(rules: (sites: string[]) => string) {
  let engine: DetectionEngine | undefined;
  const r = await rig({
    hours: 17 * 24,
    sim: { profile: "realistic", people: 30, intervalMs: 2 * MINUTE },
    poller: { onCommit: () => engine?.runSafely(), backfillDays: 30 },
  });
  await r.poller.pollOnce(); // the history: never alerted on
  const sites = r.db
    .prepare<[], { site: string }>(
      "SELECT DISTINCT site_host AS site FROM events WHERE site_host IS NOT NULL",
    )
    .all()
    .map((row) => row.site);
  engine = new DetectionEngine({
    stores: repositories(r.db),
    clock: r.clock,
    logger: r.logs.logger,
    orgId: r.sim.orgId,
    config: parseRulesText(rules(sites), "rules.yml"),
  });
  engine.run();
  r.clock.advance(5 * DAY);
  await r.poller.pollOnce();
  return { r, alerts: new AlertStore(r.db).list(r.sim.orgId) };
}

describe("declared posture, through the simulator", () => {
  it("alerts on the first event of each contradiction, once, and keeps the rest for the digest", async () => {
    const { r, alerts } = await weeksThenLive(
      (sites) => `posture:\n  apiTokenAuth: off\n  sites: [${sites.join(", ")}]`,
    );
    const drift = r.sim.org.incidents().find((i) => i.kind === "posture-drift");
    expect(drift?.at).toBeGreaterThan(NOW);
    const posted = alerts.filter((a) => a.ruleId === "mcp-posture-drift" && a.notify);
    const bySubject = new Map(posted.map((a) => [a.detail.contradiction, a]));
    expect(posted).toHaveLength(bySubject.size);
    expect([...bySubject.keys()].sort()).toEqual([
      "apiTokenAuth",
      "sites.acme-legal.atlassian.net",
    ]);
    expect(bySubject.get("sites.acme-legal.atlassian.net")).toMatchObject({
      severity: "high",
      userId: drift?.actorId,
      eventCount: 1,
    });
    expect(bySubject.get("apiTokenAuth")?.title).toMatch(
      /^observed an MCP call authenticated with an API token although your posture says API-token authentication is off: check .+ at Rovo → Rovo MCP server → Authentication/,
    );
    const token = bySubject.get("apiTokenAuth");
    expect(token && settingsText(token)).toContain(
      "The setting your posture says otherwise about: *Rovo MCP server: API-token authentication*, at _Rovo → Rovo MCP server → Authentication_.",
    );
    // The service accounts' hourly jobs went on: stored, counted, not posted again.
    const quiet = alerts.filter((a) => a.ruleId === "mcp-posture-drift" && !a.notify);
    expect(quiet.reduce((n, a) => n + a.eventCount, 0)).toBeGreaterThan(10);
    expect(quiet.every((a) => a.suppressedBy?.startsWith("already alerted"))).toBe(true);
  }, 90_000);
});

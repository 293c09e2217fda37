import { expect } from "vitest";
import { DetectionEngine } from "../../src/detect/engine.js";
import { parseRulesText } from "../../src/detect/rules-file.js";
import { AlertStore } from "../../src/store/alerts.js";
import { repositories } from "../../src/store/repositories.js";
import { DAY, MINUTE, rig } from "../ingest/setup.js";

/**
 * Weeks of a realistic organization's history, then days live, rules on what arrives; every
 * action served under a key of the simulator's making, so the code must learn them from
 * `/event-actions` display names.
 */
export async function weeksThenLive(rules: (sites: string[]) => string) {
  let engine: DetectionEngine | undefined;
  const r = await rig({
    hours: 17 * 24,
    sim: { profile: "realistic", people: 30, intervalMs: MINUTE, obfuscateActions: true },
    poller: { onCommit: () => engine?.runSafely(), backfillDays: 30 },
  });
  await r.poller.pollOnce(); // the history: never alerted on
  // No published key reached the store, yet the MCP calls were recognised by their names.
  expect(r.count("action LIKE 'rovo%' OR action LIKE '%twosv%' OR action LIKE '%api_token%'")).toBe(
    0,
  );
  expect(r.count("is_mcp = 1")).toBeGreaterThan(1000);
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
  const alerts = new AlertStore(r.db);
  return { r, engine, alerts: alerts.list(r.sim.orgId), store: alerts };
}

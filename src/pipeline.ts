import { AtlassianClient } from "./atlassian/client.js";
import type { Clock } from "./clock.js";
import type { IngestConfig } from "./config.js";
import { DetectionEngine, type EngineStores } from "./detect/engine.js";
import type { RulesFile } from "./detect/rules-file.js";
import { Poller, type PollerOptions } from "./ingest/poller.js";
import type { Logger } from "./logger.js";
import type { Db } from "./store/db.js";

/**
 * The client, poller and rules engine for one organization, wired together as `start` and `poll`
 * both build them: the rules run on what each commit stored.
 */
export function createPoller(
  config: IngestConfig,
  deps: { db: Db; stores: EngineStores; clock: Clock; logger: Logger; rules: RulesFile },
  extra: Partial<PollerOptions> = {},
): { poller: Poller; engine: DetectionEngine } {
  const intervalMs = config.pollIntervalSeconds * 1000;
  const client = new AtlassianClient({
    baseUrl: config.atlassian.apiBaseUrl,
    orgId: config.atlassian.orgId,
    apiKey: config.atlassian.apiKey,
    clock: deps.clock,
    logger: deps.logger.child({ component: "atlassian" }),
    maxWaitMs: intervalMs,
  });
  const engine = new DetectionEngine({
    stores: deps.stores,
    clock: deps.clock,
    logger: deps.logger,
    orgId: config.atlassian.orgId,
    config: deps.rules,
  });
  const poller = new Poller({
    db: deps.db,
    client,
    clock: deps.clock,
    logger: deps.logger,
    intervalMs,
    backfillDays: config.backfillDays,
    extraMcpKeys: deps.rules.mcpActionKeys,
    onCommit: () => engine.runSafely(),
    ...extra,
  });
  return { poller, engine };
}

import { AtlassianClient } from "./atlassian/client.js";
import type { Clock } from "./clock.js";
import type { IngestConfig } from "./config.js";
import { DetectionEngine } from "./detect/engine.js";
import type { RulesFile } from "./detect/rules-file.js";
import { Poller } from "./ingest/poller.js";
import type { PollerOptions } from "./ingest/poller-options.js";
import { toolCatalogue } from "./ingest/tools.js";
import type { Logger } from "./logger.js";
import type { Db } from "./store/db.js";
import type { Repositories } from "./store/repositories.js";
import { timeBox } from "./wait.js";

/**
 * The most events the rules take between two turns of the event loop in a running bot (and at
 * most SLICE_MS): short enough that a request arriving meanwhile waits about a millisecond.
 */
export const SLICE_EVENTS = 20;

/**
 * The client, poller and rules engine for one organization, wired together as `start` and `poll`
 * both build them: the rules run on what each commit stored, and again after each poll, so that
 * what is stored but not judged yet is judged even while the organization is quiet and no poll
 * commits: after a failure of theirs (a full disk) once the cause is fixed, and what another
 * process stored meanwhile (`reclassify` storing the quarantined items this build reads). With
 * `sliced` (the running bot) they run a slice at a time (SLICE_EVENTS, or SLICE_MS, whichever
 * ends first), each on a later turn of the event loop, so that /healthz, the metrics and Slack
 * are answered in between (on a store of a million events the rules cost about 0.3 ms an event,
 * most of it their history look-ups); without it, before the commit returns.
 */
export function createPoller(
  config: IngestConfig,
  deps: { db: Db; stores: Repositories; clock: Clock; logger: Logger; rules: RulesFile },
  extra: Partial<PollerOptions> = {},
  options: { sliced?: boolean } = {},
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
  const judge = options.sliced ? slices(deps.db, engine) : () => engine.runSafely();
  const poller = new Poller({
    stores: deps.stores,
    client,
    clock: deps.clock,
    logger: deps.logger,
    intervalMs,
    backfillDays: config.backfillDays,
    extraMcpKeys: deps.rules.mcpActionKeys,
    tools: toolCatalogue(deps.rules.tools),
    onCommit: judge,
    ...extra,
    onPoll: (outcome) => {
      extra.onPoll?.(outcome);
      judge();
    },
  });
  return { poller, engine };
}

/** Schedules slices of the rules until they are caught up; one schedule at a time. */
function slices(db: Db, engine: DetectionEngine): () => void {
  let scheduled = false;
  const slice = () => {
    scheduled = false;
    if (!db.open) return; // the bot stopped
    if (engine.runSlice(SLICE_EVENTS, timeBox()).more) schedule();
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(slice);
  };
  return schedule;
}

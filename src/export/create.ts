import type { Clock } from "../clock.js";
import type { ExportConfig } from "../config.js";
import type { ToolCatalogue } from "../ingest/tools.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../metrics.js";
import type { ExportStore } from "../store/export.js";
import { ExportClient } from "./client.js";
import { exportMetrics } from "./metrics.js";
import { targetFingerprint } from "./sign.js";
import { Exporter } from "./worker.js";

/** The exporter of the running bot, wired: its client, its metrics, its receiver's fingerprint. */
export function createExporter(
  config: ExportConfig,
  deps: {
    store: ExportStore;
    orgIds: readonly string[];
    clock: Clock;
    logger: Logger;
    metrics: Metrics;
    /** The tool catalogue the bot classifies with. */
    tools: ToolCatalogue;
  },
): Exporter {
  const { store, orgIds, clock, logger, tools } = deps;
  let exporter: Exporter | undefined;
  const counters = exportMetrics(deps.metrics.registry, {
    lag: deps.metrics.readable(() => exporter?.lag() ?? []),
    stopped: deps.metrics.readable(() => exporter?.stopped() ?? false),
  });
  exporter = new Exporter({
    store,
    orgIds,
    clock,
    logger,
    counters,
    client: new ExportClient({ url: config.url, secret: config.secret, clock }),
    target: targetFingerprint(config.url, config.secret.reveal()),
    origin: new URL(config.url).origin,
    tools,
  });
  return exporter;
}

/** An exporter of organization org-1 to a SIEM receiver on 127.0.0.1, on a virtual clock. */
import { ExportClient } from "../../src/export/client.js";
import type { ExportCounters } from "../../src/export/metrics.js";
import { targetFingerprint } from "../../src/export/sign.js";
import { Exporter } from "../../src/export/worker.js";
import type { ToolCatalogue } from "../../src/ingest/tools.js";
import type { Logger } from "../../src/logger.js";
import { Secret } from "../../src/secret.js";
import type { SiemReceiver } from "../fakes/siem-receiver.js";
import type { VirtualClock } from "../fakes/virtual-clock.js";
import { until } from "../helpers/until.js";
import type { freshStore } from "../store/setup.js";

export function exporterTo(
  receiver: SiemReceiver,
  secret: string,
  store: ReturnType<typeof freshStore>,
  clock: VirtualClock,
  logger: Logger,
  /**
   * `path`: added to the receiver's address; `tools`: the catalogue the bot classifies with;
   * `counters`: the export's metrics; `timeoutMs`: how long a POST may take.
   */
  {
    path = "",
    tools,
    counters,
    timeoutMs,
  }: { path?: string; tools?: ToolCatalogue; counters?: ExportCounters; timeoutMs?: number } = {},
): Exporter {
  const url = `${receiver.url}${path}`;
  return new Exporter({
    store: store.export,
    client: new ExportClient({ url, secret: new Secret(secret), clock, timeoutMs }),
    orgIds: ["org-1"],
    target: targetFingerprint(url, secret),
    origin: new URL(url).origin,
    clock,
    logger,
    batchRecords: 500,
    random: () => 1,
    tools,
    counters,
  });
}

/** Runs the exporter's loop until `done`, then stops it. */
export async function runUntil(
  exporter: Exporter,
  done: () => boolean,
  what: string,
): Promise<void> {
  const stop = new AbortController();
  const running = exporter.worker.run(stop.signal);
  try {
    await until(done, what, 10_000, 5);
  } finally {
    stop.abort();
    await running;
  }
}

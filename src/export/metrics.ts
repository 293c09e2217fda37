import { Counter, Gauge, type Registry } from "prom-client";

/** What the export's gauges read at each scrape. */
export interface ExportGaugeSource {
  /** Per organization: seconds the oldest record not yet delivered has waited (0: none). */
  /** Undefined: the database could not be read at this scrape (see Metrics.readable). */
  lag(): ReadonlyArray<{ orgId: string; seconds: number }> | undefined;
  stopped(): boolean | undefined;
}

/** The export's metrics on the app's registry (GET /metrics). */
export function exportMetrics(registry: Registry, source: ExportGaugeSource) {
  const registers = [registry];
  const records = new Counter({
    name: "mcp_activity_export_records_total",
    help: "Records the SIEM receiver took (a 2xx that is no web page, nor cut short before any of its body), by organization and kind (mcp_event, alert).",
    labelNames: ["org", "kind"],
    registers,
  });
  const failures = new Counter({
    name: "mcp_activity_export_failures_total",
    help: "Export POSTs that failed, by outcome: retry (408, 425, 429, 5xx, a 2xx web page or cut short, a timeout, network) or refused (another 4xx, a redirect: the export stops).",
    labelNames: ["outcome"],
    registers,
  });
  new Gauge({
    name: "mcp_activity_export_lag_seconds",
    help: "How long the oldest stored record not yet delivered to the SIEM has waited (0 when none).",
    labelNames: ["org"],
    registers,
    collect(this: Gauge<"org">) {
      this.reset();
      for (const { orgId, seconds } of source.lag() ?? []) this.set({ org: orgId }, seconds);
    },
  });
  new Gauge({
    name: "mcp_activity_export_stopped",
    help: "1 while the export is stopped by a refusal of the receiver (see /healthz), else 0.",
    registers,
    collect(this: Gauge) {
      const stopped = source.stopped();
      // Not read: unknown, not "running".
      this.set(stopped === undefined ? Number.NaN : stopped ? 1 : 0);
    },
  });
  return {
    delivered(orgId: string, events: number, alerts: number): void {
      if (events > 0) records.inc({ org: orgId, kind: "mcp_event" }, events);
      if (alerts > 0) records.inc({ org: orgId, kind: "alert" }, alerts);
    },
    failed(outcome: "retry" | "refused"): void {
      failures.inc({ outcome });
    },
  };
}

export type ExportCounters = ReturnType<typeof exportMetrics>;

import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { writeCsv } from "../src/slack/commands/export.js";
import { ActivityStore } from "../src/store/activity.js";
import { DAY } from "../src/time-units.js";
import { millionEventStore } from "./store-1m.js";

/**
 * A responder's CSV export of 400 days over the 1M-event store, as `/mcp-activity since:400d
 * format:csv` makes it: the longest the event loop waited meanwhile, the growth of RSS, and the
 * file (capped rows).
 */
export async function benchExport(): Promise<void> {
  const now = Date.now();
  const { db, orgId } = millionEventStore(now);
  const { mkdtempSync, rmSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const dir = mkdtempSync(join(tmpdir(), "mcp-activity-export-bench-"));
  const delay = monitorEventLoopDelay({ resolution: 10 });
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }, 20);
  delay.enable();
  const started = performance.now();
  const result = await writeCsv(
    new ActivityStore(db),
    {
      orgId,
      since: now - 400 * DAY,
      until: now,
      people: [],
      tools: [],
      classes: [],
      products: [],
      sites: [],
      actions: [],
      ips: [],
      countries: [],
      auth: [],
      rules: [],
      statuses: [],
      words: [],
    },
    join(dir, "export.csv"),
  );
  const ms = performance.now() - started;
  delay.disable();
  clearInterval(sampler);
  const maxDelay = delay.max / 1e6;
  console.log(
    `export since:400d: ${result.rows} rows${result.capped ? " (capped)" : ""}, ${(result.bytes / 1e6).toFixed(1)} MB in ${(ms / 1000).toFixed(1)} s; ` +
      `event loop: longest wait ${maxDelay.toFixed(0)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(0)} ms; ` +
      `RSS +${((rssPeak - rssBefore) / 2 ** 20).toFixed(0)} MiB at most`,
  );
  rmSync(dir, { recursive: true, force: true });
  db.close();
}

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { ActivityFilter } from "../src/domain/activity.js";
import { writeCsv } from "../src/slack/commands/export.js";
import { ActivityStore } from "../src/store/activity.js";
import { DAY } from "../src/time-units.js";
import { millionEventStore } from "./store-1m.js";

/**
 * CSV exports over the 1M-event store, as `/mcp-activity … format:csv` makes them: a responder's
 * 400 days (capped rows), and a word no call holds over 180 days (every event of the days looked
 * through, nothing found). For each, the longest the event loop waited meanwhile, the growth of
 * RSS, and the file.
 */
export async function benchExport(): Promise<void> {
  const now = Date.now();
  const { db, orgId } = millionEventStore(now);
  const store = new ActivityStore(db);
  const dir = mkdtempSync(join(tmpdir(), "mcp-activity-export-bench-"));
  const filter = (days: number, words: string[]): ActivityFilter => ({
    orgId,
    since: now - days * DAY,
    until: now,
    ...{ people: [], tools: [], classes: [], products: [], sites: [], actions: [], ips: [] },
    ...{ countries: [], auth: [], rules: [], statuses: [], words },
  });
  try {
    await exportOnce("since:400d", store, filter(400, []), join(dir, "all.csv"));
    await exportOnce(
      '"zzq-nowhere" since:180d',
      store,
      filter(180, ["zzq-nowhere"]),
      join(dir, "rare.csv"),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
    db.close();
  }
}

async function exportOnce(
  label: string,
  store: ActivityStore,
  filter: ActivityFilter,
  path: string,
): Promise<void> {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }, 20);
  delay.enable();
  // The monitor records a delay from its second tick on: a block at once would go unseen.
  await new Promise((resolve) => setTimeout(resolve, 50));
  const started = performance.now();
  const result = await writeCsv(store, filter, path);
  const ms = performance.now() - started;
  delay.disable();
  clearInterval(sampler);
  console.log(
    `export ${label}: ${result.rows} rows${result.capped ? " (capped)" : ""}, ${(result.bytes / 1e6).toFixed(1)} MB in ${(ms / 1000).toFixed(1)} s; ` +
      `event loop: longest wait ${(delay.max / 1e6).toFixed(0)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(0)} ms; ` +
      `RSS +${((rssPeak - rssBefore) / 2 ** 20).toFixed(0)} MiB at most`,
  );
}

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../src/store/open.js";
import { repositories } from "../src/store/repositories.js";
import { percentile } from "./store-1m.js";

const POSTED = [1_000, 10_000, 50_000];
const RUNS = 50;

/** The p50 of `read` over RUNS runs, in ms. */
function timed(read: () => unknown): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    read();
    times.push(performance.now() - started);
  }
  return percentile(
    times.sort((a, b) => a - b),
    50,
  );
}

/**
 * What a pass of the alert producer reads (the alerts to queue and the backlog's count, at every
 * drain of the outbox: at least once a second) in a store holding years of posted alerts and a
 * few new ones, against the same two reads over every posted alert, as they were before the
 * partial index alerts_unsettled (migrations/0015).
 */
export async function benchAlertPass(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "mcp-activity-bench-"));
  try {
    for (const posted of POSTED) {
      const db = openStore(join(dir, `alerts-${posted}.db`));
      const stores = repositories(db);
      const insert = db.prepare(
        `INSERT INTO alerts (org_id, rule_id, severity, group_key, title, detail, auth_kind,
           first_event_seq, last_event_seq, first_seen, last_seen, event_count, notify, created_at, updated_at)
         VALUES ('org', 'mcp-destructive', 'high', ?, 'title', '{}', 'oauth', 1, 1, ?, ?, 1, 1, ?, ?)`,
      );
      const now = Date.now();
      db.transaction(() => {
        for (let i = 0; i < posted + 5; i++) {
          const at = now - (posted - i) * 60_000;
          const id = Number(insert.run(`g${i}`, at, at, at, at).lastInsertRowid);
          if (i >= posted) continue; // the last five wait to be queued
          stores.deliveries.markQueued("org", id, "C1", 1, at);
          stores.deliveries.markDelivered("org", id, "C1", `${i}.000001`, 1, at);
        }
      })();
      const pass = () => {
        stores.deliveries.pending("org", 20);
        stores.deliveries.backlog("org");
      };
      const everyAlert = db.prepare(
        `SELECT a.id FROM alerts a LEFT JOIN deliveries d ON d.org_id = a.org_id AND d.alert_id = a.id
         WHERE a.org_id = ? AND a.notify = 1
           AND (d.alert_id IS NULL OR (d.failure IS NULL AND d.via_summary = 0 AND (d.revision < a.revision
             OR (d.ts IS NULL AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.key = 'alert:' || a.org_id || ':' || a.id)))))`,
      );
      const scan = () => {
        everyAlert.all("org");
        everyAlert.all("org");
      };
      const after = timed(pass);
      const before = timed(scan);
      console.log(
        `alert producer's pass, ${posted.toLocaleString("en-US")} alerts posted + 5 new: ${after.toFixed(3)} ms (p50 of ${RUNS}); reading every posted alert as before: ${before.toFixed(2)} ms (${(before / after).toFixed(0)}x)`,
      );
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

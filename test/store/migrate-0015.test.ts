import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { DeliveryStore } from "../../src/store/deliveries.js";
import { loadMigrations, migrate } from "../../src/store/migrate.js";
import { openStore } from "../../src/store/open.js";
import { tempDir } from "../helpers/tmp.js";

/** An alert as release 0014 stored it, with its delivery when one is given. */
function addAlert(
  db: Database.Database,
  id: number,
  revision: number,
  delivery?: { ts: string | null; revision: number; viaSummary?: 1; failure?: string },
  notify = 1,
): void {
  db.prepare(
    `INSERT INTO alerts (id, org_id, rule_id, severity, group_key, title, detail, auth_kind,
       first_event_seq, last_event_seq, first_seen, last_seen, event_count, notify, revision, created_at, updated_at)
     VALUES (?, 'org-1', 'mcp-destructive', 'high', 'g', 't', '{}', 'oauth', 1, 1, 1, 1, 1, ?, ?, 1, 1)`,
  ).run(id, notify, revision);
  if (!delivery) return;
  db.prepare(
    `INSERT INTO deliveries (org_id, alert_id, channel, ts, revision, via_summary, attempted_at, failure)
     VALUES ('org-1', ?, 'C1', ?, ?, ?, 1, ?)`,
  ).run(id, delivery.ts, delivery.revision, delivery.viaSummary ?? 0, delivery.failure ?? null);
}

describe("migration 0015: the alerts a pass of the alert producer reads", () => {
  it("settles the alerts already shown, summarised or refused, and keeps the rest to read", () => {
    const path = join(tempDir(), "s.db");
    const before = new Database(path);
    migrate(before, loadMigrations().slice(0, 14));
    addAlert(before, 1, 1); // never queued
    addAlert(before, 2, 1, { ts: null, revision: 1 }); // tried, outcome unknown (no outbox item)
    addAlert(before, 3, 1, { ts: "1.1", revision: 1 }); // shown
    addAlert(before, 4, 3, { ts: "1.2", revision: 2 }); // grown since it was shown
    addAlert(before, 5, 1, { ts: null, revision: 0, viaSummary: 1 }); // in a summary
    addAlert(before, 6, 1, { ts: null, revision: 1, failure: "invalid_blocks" });
    addAlert(before, 7, 1, undefined, 0); // never to be posted
    before.close();

    const db = openStore(path);
    const settled = db
      .prepare("SELECT id, settled_revision AS settled FROM alerts ORDER BY id")
      .all();
    expect(settled).toEqual([
      { id: 1, settled: null },
      { id: 2, settled: null },
      { id: 3, settled: 1 },
      { id: 4, settled: 2 },
      { id: 5, settled: 1 },
      { id: 6, settled: 1 },
      { id: 7, settled: null },
    ]);
    const unsettled = db
      .prepare<[], { id: number }>(
        `SELECT id FROM alerts INDEXED BY alerts_unsettled
         WHERE org_id = 'org-1' AND notify = 1 AND settled_revision IS NOT revision ORDER BY id`,
      )
      .all()
      .map((row) => row.id);
    expect(unsettled).toEqual([1, 2, 4]);
    expect(new DeliveryStore(db).pending("org-1", 10).map((p) => [p.alert.id, p.kind])).toEqual([
      [1, "new"],
      [2, "in-flight"],
      [4, "grown"],
    ]);
    db.close();
  });
});

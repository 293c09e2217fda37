import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { DeliveryStore } from "../../src/store/deliveries.js";
import { loadMigrations, migrate } from "../../src/store/migrate.js";
import { openStore } from "../../src/store/open.js";
import { tempDir } from "../helpers/tmp.js";

describe("migration 0032: an alert of a roll-up is settled at the revision the roll-up shows", () => {
  it("keeps those rolled up before it settled, and a growth while the roll-up is sent pending", () => {
    const path = join(tempDir(), "s.db");
    const before = new Database(path);
    migrate(before, loadMigrations().slice(0, 31));
    const alert = before.prepare(
      `INSERT INTO alerts (id, org_id, rule_id, severity, group_key, title, detail, auth_kind,
         first_event_seq, last_event_seq, first_seen, last_seen, event_count, notify, created_at, updated_at)
       VALUES (?, 'org-1', 'mcp-burst', 'medium', 'g', 't', '{}', 'oauth', 1, 1, 1, 1, 1, 1, 1, 1)`,
    );
    // Rolled up as release 0031 recorded it (revision 0), settled at the alert's revision then.
    const rolledUp = before.prepare(
      `INSERT INTO deliveries (org_id, alert_id, channel, ts, revision, via_summary, attempted_at, rollup_hour)
       VALUES ('org-1', ?, 'C1', NULL, 0, 1, 1, 0)`,
    );
    const summarised = before.prepare(
      `INSERT INTO deliveries (org_id, alert_id, channel, ts, revision, via_summary, attempted_at)
       VALUES ('org-1', ?, 'C1', NULL, 0, 1, 1)`,
    );
    for (const id of [1, 2, 3]) alert.run(id);
    rolledUp.run(1);
    rolledUp.run(2);
    summarised.run(3);
    before.prepare("UPDATE alerts SET revision = 2").run(); // all three grew since
    before.close();

    const db = openStore(path);
    const deliveries = new DeliveryStore(db);
    const pending = () => deliveries.pending("org-1", 10).map((p) => [p.alert.id, p.kind]);
    expect(deliveries.get("org-1", 1)?.revision).toBe(1);
    expect(pending()).toEqual([
      [1, "grown"],
      [2, "grown"],
    ]);
    deliveries.markRevision("org-1", 1, 2); // its roll-up's update queued, showing it grown
    expect(pending()).toEqual([[2, "grown"]]);
    // Slack takes the roll-up: alert 2's growth, not shown in it, is still the producer's.
    deliveries.markSummaryDelivered("org-1", [1, 2, 3], { channel: "C1", ts: "1.1" }, 5);
    expect(pending()).toEqual([[2, "grown"]]);
    db.close();
  });
});

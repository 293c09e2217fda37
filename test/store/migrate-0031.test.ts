import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { DeliveryStore } from "../../src/store/deliveries.js";
import { FollowUpStore } from "../../src/store/followups.js";
import { loadMigrations, migrate } from "../../src/store/migrate.js";
import { openStore } from "../../src/store/open.js";
import { tempDir } from "../helpers/tmp.js";

describe("migration 0031: alerts in a roll-up or summary are followed up", () => {
  it("once their message is posted; those posted before it are not asked after", () => {
    const path = join(tempDir(), "s.db");
    const before = new Database(path);
    migrate(before, loadMigrations().slice(0, 29));
    const alert = before.prepare(
      `INSERT INTO alerts (id, org_id, rule_id, severity, group_key, title, detail, auth_kind,
         first_event_seq, last_event_seq, first_seen, last_seen, event_count, notify, created_at, updated_at)
       VALUES (?, 'org-1', 'mcp-first-use', 'medium', 'g', 't', '{}', 'oauth', 1, 1, 1, 1, 1, 1, 1, 1)`,
    );
    const delivery = before.prepare(
      `INSERT INTO deliveries (org_id, alert_id, channel, ts, revision, via_summary, attempted_at, delivered_at, rollup_hour)
       VALUES ('org-1', ?, 'C1', ?, 1, ?, 1, ?, ?)`,
    );
    for (const id of [1, 2, 3]) alert.run(id);
    delivery.run(1, "1.1", 0, 2, null); // posted alone, not followed up yet
    delivery.run(2, "1.2", 1, 2, 0); // in a roll-up posted before the upgrade
    delivery.run(3, null, 1, null, 0); // in a roll-up Slack has yet to take
    before.close();

    const db = openStore(path);
    const followUps = new FollowUpStore(db);
    expect(followUps.unseen("org-1").map((p) => p.alert.id)).toEqual([1]);
    new DeliveryStore(db).markSummaryDelivered("org-1", [3], { channel: "C1", ts: "1.3" }, 5);
    expect(followUps.unseen("org-1").map((p) => [p.alert.id, p.ts])).toEqual([
      [1, "1.1"],
      [3, "1.3"],
    ]);
    db.close();
  });

  it("follows up one rolled up before it that is posted alone after it (it grew high)", () => {
    const path = join(tempDir(), "s.db");
    const before = new Database(path);
    migrate(before, loadMigrations().slice(0, 29));
    before
      .prepare(
        `INSERT INTO alerts (id, org_id, rule_id, severity, group_key, title, detail, auth_kind,
         first_event_seq, last_event_seq, first_seen, last_seen, event_count, notify, created_at, updated_at)
       VALUES (2, 'org-1', 'mcp-burst', 'medium', 'g', 't', '{}', 'oauth', 1, 1, 1, 1, 1, 1, 1, 1)`,
      )
      .run();
    before
      .prepare(
        `INSERT INTO deliveries (org_id, alert_id, channel, ts, revision, via_summary, attempted_at, delivered_at, rollup_hour)
       VALUES ('org-1', 2, 'C1', '1.2', 1, 1, 1, 2, 0)`,
      )
      .run();
    before.close();

    const db = openStore(path);
    const deliveries = new DeliveryStore(db);
    const followUps = new FollowUpStore(db);
    // Its group grows high after the upgrade: its own message is queued, then Slack takes it.
    db.prepare("UPDATE alerts SET severity = 'high', revision = 2 WHERE id = 2").run();
    expect(deliveries.markPostedAlone("org-1", 2, "C1", 2, 10)).toBe(true);
    expect(followUps.unseen("org-1")).toEqual([]);
    deliveries.markDelivered("org-1", 2, "C1", "9.9", 2, 11);
    expect(followUps.unseen("org-1").map((p) => [p.alert.id, p.ts])).toEqual([[2, "9.9"]]);
    db.close();
  });
});

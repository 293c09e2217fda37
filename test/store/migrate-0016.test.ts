import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { FollowUpStore } from "../../src/store/followups.js";
import { loadMigrations, migrate } from "../../src/store/migrate.js";
import { openStore } from "../../src/store/open.js";
import { tempDir } from "../helpers/tmp.js";

describe("migration 0016: the posted alerts not followed up yet", () => {
  it("marks the deliveries already followed up, and each follow-up started after it", () => {
    const path = join(tempDir(), "s.db");
    const before = new Database(path);
    migrate(before, loadMigrations().slice(0, 15));
    const alert = before.prepare(
      `INSERT INTO alerts (id, org_id, rule_id, severity, group_key, title, detail, auth_kind,
         first_event_seq, last_event_seq, first_seen, last_seen, event_count, notify, created_at, updated_at)
       VALUES (?, 'org-1', 'mcp-destructive', 'high', 'g', 't', '{}', 'oauth', 1, 1, 1, 1, 1, 1, 1, 1)`,
    );
    const delivery = before.prepare(
      `INSERT INTO deliveries (org_id, alert_id, channel, ts, revision, via_summary, attempted_at, delivered_at)
       VALUES ('org-1', ?, 'C1', ?, 1, ?, 1, 2)`,
    );
    for (const id of [1, 2, 3]) alert.run(id);
    delivery.run(1, "1.1", 0); // posted, followed up
    delivery.run(2, "1.2", 0); // posted, not followed up yet
    delivery.run(3, "1.3", 1); // in a summary posted before 0030: never followed up
    before
      .prepare(
        "INSERT INTO alert_followups (org_id, alert_id, ask_state, created_at) VALUES ('org-1', 1, 'none', 3)",
      )
      .run();
    before.close();

    const db = openStore(path);
    const followed = () =>
      db.prepare("SELECT alert_id AS id, followed FROM deliveries ORDER BY alert_id").all();
    // 0030 marks it followed: its person is not asked that long after.
    expect(followed()).toEqual([
      { id: 1, followed: 1 },
      { id: 2, followed: 0 },
      { id: 3, followed: 1 },
    ]);
    const followUps = new FollowUpStore(db);
    expect(followUps.unseen("org-1").map((p) => p.alert.id)).toEqual([2]);
    followUps.start("org-1", 2, { state: "none" }, null, 4);
    expect(followed()).toEqual([
      { id: 1, followed: 1 },
      { id: 2, followed: 1 },
      { id: 3, followed: 1 },
    ]);
    expect(followUps.unseen("org-1")).toEqual([]);
    db.close();
  });
});

import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { ExportStore } from "../../src/store/export.js";
import { loadMigrations, migrate } from "../../src/store/migrate.js";
import { openStore } from "../../src/store/open.js";
import { tempDir } from "../helpers/tmp.js";

describe("migration 0017: each alert change keeps its title", () => {
  it("sends changes journaled before it with the alert's title, and those after with theirs", () => {
    const path = join(tempDir(), "s.db");
    const before = new Database(path);
    migrate(before, loadMigrations().slice(0, 16));
    before
      .prepare(
        `INSERT INTO alerts (id, org_id, rule_id, severity, group_key, title, detail, auth_kind,
           first_event_seq, last_event_seq, first_seen, last_seen, event_count, notify, created_at, updated_at)
         VALUES (1, 'org-1', 'mcp-burst', 'medium', 'g', 'Ada made 40 calls', '{}', 'oauth', 1, 1, 1, 1, 1, 1, 1, 1)`,
      )
      .run();
    before.close();

    const db = openStore(path);
    db.prepare(
      "UPDATE alerts SET title = 'Ada made 900 calls', severity = 'high', updated_at = 2 WHERE id = 1",
    ).run();
    const none = { mcp_event: 0, alert: 0 };
    const { changes } = new ExportStore(db).next("org-1", none, 10);
    expect(changes.map((c) => [c.change, c.title, c.severity])).toEqual([
      ["raised", "Ada made 900 calls", "medium"], // journaled by the earlier release: no title kept
      ["severity", "Ada made 900 calls", "high"],
    ]);
    db.prepare("UPDATE alerts SET title = 'Ada made 2000 calls' WHERE id = 1").run();
    expect(new ExportStore(db).next("org-1", none, 10).changes[1]?.title).toBe(
      "Ada made 900 calls",
    );
    db.close();
  });
});

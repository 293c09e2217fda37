import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { AlertStore } from "../../src/store/alerts.js";
import { ExportStore } from "../../src/store/export.js";
import { loadMigrations, migrate } from "../../src/store/migrate.js";
import { openStore } from "../../src/store/open.js";
import { withLaterColumns } from "../helpers/later-columns.js";
import { tempDir } from "../helpers/tmp.js";
import { newAlert, T } from "./setup.js";

describe("migration 0027: each alert change keeps whether it was for the channel", () => {
  it("gives changes journaled before it the alert's values, and journals growths into the channel after it", () => {
    const path = join(tempDir(), "s.db");
    const before = new Database(path);
    migrate(before, loadMigrations().slice(0, 26));
    const digest = withLaterColumns(before, () => {
      const earlier = new AlertStore(before);
      const id = earlier.insert(newAlert({ severity: "low", notify: false }));
      earlier.insert(newAlert({ notify: false, suppressedBy: "snoozed for 4 h by <@U1>" }));
      earlier.insert(newAlert());
      return id;
    });
    before.close();

    const db = openStore(path);
    new AlertStore(db).grow(
      { id: digest, orgId: "org-1" },
      { seq: 2, time: T + 1, late: false, tools: [], severity: "high", notify: true },
      T + 1,
    );
    const { changes } = new ExportStore(db).next("org-1", { mcp_event: 0, alert: 0 }, 10);
    expect(changes.map((c) => [c.alertId, c.change, c.forChannel, c.quietedBy])).toEqual([
      [1, "raised", false, null],
      [2, "raised", false, "snoozed for 4 h by <@U1>"],
      [3, "raised", true, null],
      [1, "severity", null, null],
      [1, "channel", true, null],
    ]);
    db.close();
  });
});

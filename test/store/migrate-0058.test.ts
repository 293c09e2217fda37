/**
 * Migration 0058: a `once` subject's time was written again by each call growing its alert, so
 * onceDays counted from its alert's last call. Upgraded, it counts from the alert's first call
 * again. A real SQLite file at the schema before, upgraded in place.
 */
import { join } from "node:path";
import { expect, it } from "vitest";
import { AlertStore } from "../../src/store/alerts.js";
import { loadMigrations, migrate } from "../../src/store/migrate.js";
import { openStore } from "../../src/store/open.js";
import { repositories } from "../../src/store/repositories.js";
import { DAY } from "../../src/time-units.js";
import { closeAfterTest } from "../helpers/cleanup.js";
import { tempDir } from "../helpers/tmp.js";
import { newAlert, T } from "./setup.js";

it("migration 0058 gives each once subject the time of its alert's first call", () => {
  const db = openStore(join(tempDir(), "s.db"), { migrate: false });
  closeAfterTest(() => db.close());
  const all = loadMigrations();
  migrate(
    db,
    all.filter((m) => m.version < 58),
  );
  const alerts = new AlertStore(db);
  const grown = alerts.insert(newAlert({ ruleId: "mcp-api-token", firstSeen: T - 10 * DAY }));
  const single = alerts.insert(newAlert({ ruleId: "mcp-new-location", firstSeen: T - 5 * DAY }));
  const write = db.prepare(
    `INSERT INTO alert_subjects (org_id, rule_id, subject, alert_id, first_at)
     VALUES ('org-1', ?, ?, ?, ?)`,
  );
  // The token's alert took calls for 8 days after its first: its subject's time moved with them.
  write.run("mcp-api-token", "acc-svc|read|acme.atlassian.net|", grown, T - 2 * DAY);
  write.run("mcp-new-location", "acc-alice|France", single, T - 5 * DAY);
  migrate(db, all);

  const subjects = repositories(db).subjects;
  expect(
    subjects.alerted("org-1", "mcp-api-token", "acc-svc|read|acme.atlassian.net|")?.alertedAt,
  ).toBe(T - 10 * DAY);
  expect(subjects.alerted("org-1", "mcp-new-location", "acc-alice|France")?.alertedAt).toBe(
    T - 5 * DAY,
  );
});

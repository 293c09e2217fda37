/**
 * Migration 0057: a `once` subject was kept with the expiry its rule's onceDays gave it when it
 * alerted. Upgraded, it keeps the time of its latest alert, from which the rules file in force
 * counts its onceDays. A real SQLite file at the schema before, upgraded in place.
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

it("migration 0057 keeps each once subject's latest alert time and drops its expiry", () => {
  const db = openStore(join(tempDir(), "s.db"), { migrate: false });
  closeAfterTest(() => db.close());
  const all = loadMigrations();
  migrate(
    db,
    all.filter((m) => m.version < 57),
  );
  const alerts = new AlertStore(db);
  const token = alerts.insert(newAlert({ ruleId: "mcp-api-token" }));
  const country = alerts.insert(newAlert({ ruleId: "mcp-new-location" }));
  // As the release before wrote them: for good, and for 30 days from an alert 40 days ago.
  const write = db.prepare(
    `INSERT INTO alert_subjects (org_id, rule_id, subject, alert_id, first_at, until)
     VALUES ('org-1', ?, ?, ?, ?, ?)`,
  );
  write.run("mcp-api-token", "acc-svc|read|acme.atlassian.net|", token, T - 90 * DAY, null);
  write.run("mcp-new-location", "acc-alice|France", country, T - 40 * DAY, T - 10 * DAY);
  migrate(db, all);

  const subjects = repositories(db).subjects;
  expect(subjects.alerted("org-1", "mcp-api-token", "acc-svc|read|acme.atlassian.net|")).toEqual({
    alertId: token,
    alertedAt: T - 90 * DAY,
  });
  expect(subjects.alerted("org-1", "mcp-new-location", "acc-alice|France")).toEqual({
    alertId: country,
    alertedAt: T - 40 * DAY,
  });
  expect(subjects.alertedBefore("org-1", T).map((s) => s.subject)).toEqual([
    "acc-svc|read|acme.atlassian.net|",
    "acc-alice|France",
  ]);
  // Alerted about again, the subject counts from its new alert.
  subjects.record("org-1", "mcp-new-location", "acc-alice|France", country, T);
  expect(subjects.alerted("org-1", "mcp-new-location", "acc-alice|France")?.alertedAt).toBe(T);
  const columns = db.prepare("SELECT name FROM pragma_table_info('alert_subjects')").pluck().all();
  expect(columns).toEqual(["org_id", "rule_id", "subject", "alert_id", "first_at"]);
});

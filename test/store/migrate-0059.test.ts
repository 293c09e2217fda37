/**
 * Migration 0059: a `once` subject kept one row, its latest alert overwriting the one before.
 * Upgraded, each alert about a subject is a row of its own: the subject's row becomes its first,
 * and what the bot knew before a time is the latest alert before it. A real SQLite file at the
 * schema before, upgraded in place.
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

it("migration 0059 keeps each once subject's alert and adds the next ones beside it", () => {
  const db = openStore(join(tempDir(), "s.db"), { migrate: false });
  closeAfterTest(() => db.close());
  const all = loadMigrations();
  migrate(
    db,
    all.filter((m) => m.version < 59),
  );
  const alerts = new AlertStore(db);
  const first = alerts.insert(newAlert({ ruleId: "mcp-api-token", firstSeen: T - 10 * DAY }));
  const subject = "acc-svc|read|acme.atlassian.net|";
  db.prepare(
    `INSERT INTO alert_subjects (org_id, rule_id, subject, alert_id, first_at)
     VALUES ('org-1', 'mcp-api-token', ?, ?, ?)`,
  ).run(subject, first, T - 10 * DAY);
  migrate(db, all);

  const subjects = repositories(db).subjects;
  const again = alerts.insert(newAlert({ ruleId: "mcp-api-token", firstSeen: T - DAY }));
  subjects.record("org-1", "mcp-api-token", subject, again, T - DAY);
  expect(subjects.alerted("org-1", "mcp-api-token", subject)).toEqual({
    alertId: again,
    alertedAt: T - DAY,
  });
  expect(subjects.alertedBefore("org-1", T - 5 * DAY)).toEqual([
    { orgId: "org-1", ruleId: "mcp-api-token", subject, alertedAt: T - 10 * DAY },
  ]);
  expect(subjects.alertedBefore("org-1", T).map((s) => s.alertedAt)).toEqual([T - DAY]);
});

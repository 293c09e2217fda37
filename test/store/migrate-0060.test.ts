/**
 * Migration 0060: alert links are numbered in the order they are made, and each digest keeps the
 * newest one's number. Upgraded, the links made before have none, a digest made before keeps only
 * where the events stood (the next digest takes up from that, as before), and a number is never
 * given twice, even once its link is deleted. A real SQLite file at the schema before, upgraded in
 * place.
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

it("migration 0060 numbers the links made after it, and digests take up from the ones before", () => {
  const db = openStore(join(tempDir(), "s.db"), { migrate: false });
  closeAfterTest(() => db.close());
  const all = loadMigrations();
  migrate(
    db,
    all.filter((m) => m.version < 60),
  );
  const alerts = new AlertStore(db);
  const before = alerts.insert(newAlert({ firstEventSeq: 1 }));
  db.prepare(
    `INSERT INTO digests (org_id, kind, period_start, period_end, late, message, created_at, stored_through)
     VALUES ('org-1', 'daily', ?, ?, 0, '{}', ?, 7)`,
  ).run(T - DAY, T, T);
  migrate(db, all);

  const stores = repositories(db);
  const made = db.prepare<[number], number | null>(
    "SELECT made FROM alert_events WHERE alert_id = ? ORDER BY event_seq",
  );
  expect(made.pluck().all(before)).toEqual([null]);
  expect(stores.digests.positionsBefore("org-1", ["daily"], T)).toEqual({ storedThrough: 7 });
  expect(stores.digestFigures.linkedThrough()).toBe(0);

  const first = alerts.insert(newAlert({ firstEventSeq: 2 }));
  alerts.grow({ id: first, orgId: "org-1" }, growth(3), T);
  alerts.grow({ id: first, orgId: "org-1" }, growth(3), T); // linked already: no number used
  expect(made.pluck().all(first)).toEqual([1, 2]);
  db.prepare("DELETE FROM alert_events WHERE alert_id = ?").run(first);
  const next = alerts.insert(newAlert({ firstEventSeq: 4 }));
  expect(made.pluck().all(next)).toEqual([3]);
  expect(stores.digestFigures.linkedThrough()).toBe(3);
});

/** The event `seq` joining an alert, as the rules grow one. */
const growth = (seq: number) => ({
  seq,
  time: T,
  late: false,
  tools: ["deleteJiraIssue"],
  severity: "high" as const,
  notify: true,
});

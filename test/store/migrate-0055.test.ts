/**
 * Migration 0055: an API token's spike was kept with its UTC day as its subject, so a mute set
 * from its alert kept that day's spike quiet alone and named the day's number. Upgraded, the
 * alert, its mute and its suppression cover the pattern's spikes whatever the day, in words (its
 * ordinary use stays apart), and a spike still running finds its alert by its group. A real
 * SQLite file at the schema before, upgraded in place.
 */
import { join } from "node:path";
import { expect, it } from "vitest";
import { loadMigrations, migrate } from "../../src/store/migrate.js";
import { openStore } from "../../src/store/open.js";
import { repositories } from "../../src/store/repositories.js";
import { DAY } from "../../src/time-units.js";
import { closeAfterTest } from "../helpers/cleanup.js";
import { tempDir } from "../helpers/tmp.js";
import { newAlert, T } from "./setup.js";

it("migration 0055 takes the day out of API-token spikes' subjects, group keys and mutes", () => {
  const db = openStore(join(tempDir(), "s.db"), { migrate: false });
  closeAfterTest(() => db.close());
  const all = loadMigrations();
  migrate(
    db,
    all.filter((m) => m.version < 55),
  );
  const before = repositories(db);
  const pattern = "acc-svc|read|acme.atlassian.net|";
  const token = (subject: string, groupKey = `mcp-api-token|acc-svc|${subject}`) =>
    before.alerts.insert(
      newAlert({ ruleId: "mcp-api-token", severity: "medium", groupKey, subject }),
    );
  const spike = token(`${pattern}spike@20761`);
  const quietSpike = token(
    `${pattern}spike@20761`,
    `mcp-api-token|acc-svc|${pattern}spike@20761|suppressed`,
  );
  const firstUse = token(pattern);
  const quiet = {
    ruleId: "mcp-api-token",
    userKey: "acc-svc",
    subject: `${pattern}spike@20761`,
    subjectLabel: "read · acme.atlassian.net · spike@20761",
  };
  before.mutes.add("org-1", { ...quiet, until: T + 7 * DAY, reason: "expected" }, "URESP", T);
  before.suppressions.add("org-1", { ...quiet, reason: "nightly job", alertId: spike }, "URESP", T);
  // Another rule's subject that happens to end so is not this rule's.
  const other = before.alerts.insert(newAlert({ subject: "acc-ada|spike@1" }));
  migrate(db, all);
  const after = repositories(db);
  expect([spike, firstUse, other].map((id) => after.alerts.get(id)?.subject)).toEqual([
    `${pattern}spike`,
    pattern,
    "acc-ada|spike@1",
  ]);
  // The run's next findings group by its spikes, not its day: they grow the alert already posted.
  const run = `mcp-api-token|acc-svc|${pattern}spike`;
  expect(after.alerts.findGroup("org-1", run, T, DAY)?.id).toBe(spike);
  expect(after.alerts.findGroup("org-1", `${run}|suppressed`, T, DAY)?.id).toBe(quietSpike);
  const rows = (table: string) =>
    db.prepare(`SELECT subject, subject_label AS label FROM ${table}`).all();
  const covered = { subject: `${pattern}spike`, label: "read · acme.atlassian.net · spike" };
  expect([...rows("mutes"), ...rows("suppressions")]).toEqual([covered, covered]);
});

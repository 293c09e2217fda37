/**
 * Migration 0062: a "Not me" raised before 0037 counted its person's calls of its period up to its
 * last call, and 0037 linked it only to its accounts' ids' calls, those stored after it too. Once
 * handled it still holds what it counted: an e-mail-only person's calls, and no call stored after
 * it. A real SQLite file at the schema before 0037, upgraded in place.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { saidBefore } from "../../src/slack/people/not-me-said.js";
import { HomeStore } from "../../src/store/home.js";
import { loadMigrations, migrate } from "../../src/store/migrate.js";
import { openStore } from "../../src/store/open.js";
import { repositories } from "../../src/store/repositories.js";
import { MINUTE } from "../../src/time-units.js";
import { normalizedEvent } from "../detect/fixtures.js";
import { closeAfterTest } from "../helpers/cleanup.js";
import { withLaterColumns } from "../helpers/later-columns.js";
import { tempDir } from "../helpers/tmp.js";
import { newAlert, T } from "./setup.js";

describe("migration 0062: a handled Not me raised before 0037", () => {
  it("still holds the e-mail-only person's calls it counted", () => {
    const path = join(tempDir(), "s.db");
    const before = openStore(path, { migrate: false });
    migrate(before, loadMigrations().slice(0, 36));
    const old = withLaterColumns(before, () => repositories(before));
    const call = (i: number) =>
      normalizedEvent({
        id: `e-${i}`,
        time: T + i * MINUTE,
        userId: null,
        userName: null,
        userEmail: "tok@example.com",
      } as never);
    old.transaction(() => old.events.insertMany([call(0), call(1), call(2)], T));
    const seqs = before.prepare("SELECT seq FROM events ORDER BY seq").pluck().all() as number[];
    const id = withLaterColumns(before, () =>
      old.alerts.insert(
        newAlert({
          ruleId: "mcp-not-me",
          groupKey: "mcp-not-me|email:tok@example.com|day:d",
          userId: null,
          userEmail: "tok@example.com",
          firstEventSeq: seqs[0] as number,
          lastEventSeq: seqs[2] as number,
          eventCount: 3,
          detail: {
            since: T,
            until: T + 60 * MINUTE,
            calls: 3,
            accounts: ["email:tok@example.com"],
          },
        }),
      ),
    );
    before.prepare("UPDATE alerts SET status = 'true_positive' WHERE id = ?").run(id);
    before.close();

    const db = openStore(path);
    closeAfterTest(() => db.close());
    const home = new HomeStore(db);
    const period = { accounts: ["email:tok@example.com"], since: T, until: T + 60 * MINUTE };
    const linked = db
      .prepare("SELECT count(*) FROM alert_events WHERE alert_id = ?")
      .pluck()
      .get(id);
    // Every call of the day was counted by alert `id` (handled): the day is said already.
    expect(saidBefore(home, "org-1", period)?.id, `links: ${linked}`).toBe(id);
  });

  it("does not hold a call stored after it, which it never counted", () => {
    const path = join(tempDir(), "s.db");
    const before = openStore(path, { migrate: false });
    migrate(before, loadMigrations().slice(0, 36));
    const old = withLaterColumns(before, () => repositories(before));
    const call = (i: number) =>
      normalizedEvent({ id: `e-${i}`, time: T + i * MINUTE, userId: "acc-ada" });
    old.transaction(() => old.events.insertMany([call(0), call(1)], T));
    const seqs = before.prepare("SELECT seq FROM events ORDER BY seq").pluck().all() as number[];
    const id = withLaterColumns(before, () =>
      old.alerts.insert(
        newAlert({
          ruleId: "mcp-not-me",
          groupKey: "mcp-not-me|acc-ada|day:d",
          firstEventSeq: seqs[0] as number,
          lastEventSeq: seqs[1] as number,
          eventCount: 2,
          detail: { since: T, until: T + 60 * MINUTE, calls: 2, accounts: ["acc-ada"] },
        }),
      ),
    );
    before.prepare("UPDATE alerts SET status = 'true_positive' WHERE id = ?").run(id);
    // A call of that day stored after the alert was handled: counted by no alert.
    old.transaction(() => old.events.insertMany([call(5)], T + 10 * MINUTE));
    before.close();

    const db = openStore(path);
    closeAfterTest(() => db.close());
    const home = new HomeStore(db);
    const period = { accounts: ["acc-ada"], since: T, until: T + 60 * MINUTE };
    // The day is not all said: the late call may still be denied.
    expect(saidBefore(home, "org-1", period)?.id).toBeUndefined();
  });
});

import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { loadMigrations, migrate, migrateUnlessStopped } from "../../src/store/migrate.js";
import { MuteStore } from "../../src/store/mutes.js";
import { openStore } from "../../src/store/open.js";
import { DAY, HOUR, MINUTE } from "../../src/time-units.js";
import { T0 } from "../detect/fixtures.js";
import { tempDir } from "../helpers/tmp.js";

describe("migration 0025: mutes an earlier release ended early", () => {
  it("are ended when they were: a call made while one ran, read after, is no longer kept quiet", () => {
    const path = join(tempDir(), "m.db");
    const before = new Database(path);
    migrate(before, loadMigrations().slice(0, 24));
    // Written as an earlier release wrote them (its columns, not today's).
    const insert = before.prepare(
      "INSERT INTO mutes (org_id, rule_id, user_key, until, reason, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    );
    const mutes = {
      add: (
        orgId: string,
        m: { ruleId: string; userKey: string; until: number; reason: string },
        by: string,
        at: number,
      ) => insert.run(orgId, m.ruleId, m.userKey, m.until, m.reason, by, at),
    };
    const pattern = (user: string) => ({ ruleId: "mcp-write", userKey: user });
    // As earlier releases ended them: the end moved to that moment, no ended_at.
    mutes.add(
      "org-1",
      { ...pattern("acc-snoozed"), until: T0 + HOUR, reason: "snoozed for 4 h by <@U1>" },
      "U1",
      T0,
    );
    const expected = "marked expected by <@U1> on alert 3, muted for 7 days";
    mutes.add("org-1", { ...pattern("acc-expected"), until: T0 + DAY, reason: expected }, "U1", T0);
    const learned = "marked expected 3 times within 30 days; muted for 30 days by <@U1>";
    mutes.add(
      "org-1",
      { ...pattern("acc-running"), until: T0 + 30 * DAY, reason: learned },
      "U1",
      T0,
    );
    mutes.add(
      "org-1",
      { ...pattern("acc-snooze-ran"), until: T0 + 4 * HOUR, reason: "snoozed for 4 h by <@U1>" },
      "U1",
      T0,
    );
    before.close();

    const db = openStore(path);
    const ended = db
      .prepare<[], { user_key: string; ended_at: number | null }>(
        "SELECT user_key, ended_at FROM mutes ORDER BY id",
      )
      .all()
      .map((m) => [m.user_key, m.ended_at]);
    expect(ended).toEqual([
      ["acc-snoozed", T0 + HOUR],
      ["acc-expected", T0 + DAY],
      // Ran, or runs, its whole time: not ended early.
      ["acc-running", null],
      ["acc-snooze-ran", null],
    ]);
    // A call made a minute before the snooze was ended, read by the first poll after the upgrade.
    const reason = new MuteStore(db).reasonAt(
      "org-1",
      "mcp-write",
      "acc-snoozed",
      T0 + HOUR - MINUTE,
      {
        readAt: T0 + HOUR + MINUTE,
      },
    );
    expect(reason).toBeUndefined();
    db.close();
  });

  it("is said at start, as `migrate` says it: which migrations an upgrade applied", async () => {
    const db = new Database(join(tempDir(), "said.db"));
    migrate(db, loadMigrations().slice(0, 24));
    const said: string[] = [];
    const upgraded = await migrateUnlessStopped(
      db,
      new AbortController().signal,
      loadMigrations().slice(0, 25),
      {
        progress: (line) => said.push(line),
      },
    );
    expect(upgraded).toBe(true);
    expect(said).toEqual(["applied 1 migration(s): 0025_mute_ended_early.sql"]);
    db.close();
  });
});

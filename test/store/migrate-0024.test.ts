import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { loadMigrations, migrate } from "../../src/store/migrate.js";
import { openStore } from "../../src/store/open.js";
import { PollStateStore } from "../../src/store/poll-state.js";
import { tempDir } from "../helpers/tmp.js";

describe("migration 0024: when the first poll read the history to its end", () => {
  it("is taken from the history summary, else the first start; unknown while still reading", () => {
    const path = join(tempDir(), "s.db");
    const before = new Database(path);
    migrate(before, loadMigrations().slice(0, 23));
    const state = before.prepare(
      `INSERT INTO poll_state (org_id, backfill_from, backfill_until, backfill_done, updated_at)
       VALUES (?, 0, 1000, ?, 9000)`,
    );
    state.run("org-summarised", 1);
    state.run("org-no-summary", 1);
    state.run("org-reading", 0);
    before
      .prepare(
        `INSERT INTO digests (org_id, kind, period_start, period_end, message, created_at)
         VALUES ('org-summarised', 'backfill', 0, 1000, '{}', 4000)`,
      )
      .run();
    before.close();

    const states = new PollStateStore(openStore(path));
    expect(states.backfillDoneAt("org-summarised")).toBe(4000);
    expect(states.backfillDoneAt("org-no-summary")).toBe(1000);
    expect(states.backfillDoneAt("org-reading")).toBeNull();

    // From then on the store records it, the first time a state is saved done.
    const reading = states.get("org-reading");
    if (!reading) throw new Error("no poll state");
    states.save(reading, 9500);
    expect(states.backfillDoneAt("org-reading")).toBeNull();
    states.save({ ...reading, backfillDone: true }, 10_000);
    states.save({ ...reading, backfillDone: true, cursor: "next" }, 11_000);
    expect(states.backfillDoneAt("org-reading")).toBe(10_000);
  });
});

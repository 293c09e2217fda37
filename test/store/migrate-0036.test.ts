/**
 * Migration 0036 (after 0035): a digest Slack refused for good under the release before is settled as refused
 * by the upgrade, so that no start queues it again once the outbox forgot its failed message.
 * A real SQLite file at the schema before, upgraded in place.
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { buildDigest } from "../../src/digest/build.js";
import { queueDigest, requeueDigests } from "../../src/slack/digest-outbox.js";
import { loadMigrations, migrate } from "../../src/store/migrate.js";
import { openStore } from "../../src/store/open.js";
import { repositories } from "../../src/store/repositories.js";
import { DAY } from "../../src/time-units.js";
import { T0 } from "../detect/fixtures.js";
import { digestData } from "../digest/fixtures.js";
import { closeAfterTest } from "../helpers/cleanup.js";
import { withLaterColumns } from "../helpers/later-columns.js";
import { tempDir } from "../helpers/tmp.js";

describe("migration 0036: digests refused before 0035", () => {
  it("settles them, and leaves one still waiting to be posted", () => {
    const path = join(tempDir(), "s.db");
    const before = new Database(path);
    migrate(before, loadMigrations().slice(0, 34));
    const message = JSON.stringify(buildDigest(digestData(), { kind: "daily", late: false }));
    const digest = before.prepare(
      `INSERT INTO digests (id, org_id, kind, period_start, period_end, late, message, created_at)
       VALUES (?, 'org-1', 'daily', ?, ?, 0, ?, ?)`,
    );
    digest.run(1, T0 - 2 * DAY, T0 - DAY, message, T0 - DAY);
    digest.run(2, T0 - DAY, T0, message, T0);
    before.close();
    // The release before queued both; Slack refused the first for good, the second waits.
    const queued = openStore(path, { migrate: false });
    const old = withLaterColumns(queued, () => repositories(queued));
    for (const id of [1, 2]) {
      const record = old.digests.list("org-1").find((d) => d.id === id);
      if (!record) throw new Error(`digest ${id} not read`);
      queueDigest(old.outbox, record, "C0ALERTS", T0);
    }
    queued
      .prepare(
        "UPDATE outbox SET state = 'failed', failure = 'msg_blocks_too_long', settled_at = ? WHERE key = 'digest:1'",
      )
      .run(T0);
    queued.close();

    const db = openStore(path);
    closeAfterTest(() => db.close());
    const s = repositories(db);
    expect(s.digests.pending("org-1").map((d) => d.id)).toEqual([2]);
    // 31 days on the outbox forgot the failed message: a start does not queue the digest again.
    const later = T0 + 31 * DAY;
    s.outbox.prune(later - 30 * DAY, 200);
    expect(s.outbox.has("digest:1")).toBe(false);
    requeueDigests(s.outbox, s.digests, "org-1", "C0ALERTS", later);
    expect(s.outbox.has("digest:1")).toBe(false);
  });
});

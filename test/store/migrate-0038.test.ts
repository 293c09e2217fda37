/**
 * Migration 0038: a digest made since the outbox existed (0008) was queued with it; one neither
 * posted nor refused whose message the outbox has since forgotten (failed or dropped messages are
 * pruned after 30 days) was refused or dropped before 0035 kept that, and is settled by the
 * upgrade. One made before the outbox, never queued by it, is still queued by the next start.
 * A real SQLite file as the release of 0034 left it, upgraded in place.
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
import { digestData } from "../digest/fixtures.js";
import { closeAfterTest } from "../helpers/cleanup.js";
import { withLaterColumns } from "../helpers/later-columns.js";
import { tempDir } from "../helpers/tmp.js";

const NOW = Date.now();
const iso = (ms: number) => new Date(ms).toISOString();

describe("migration 0038: digests refused before 0035, forgotten by the outbox since", () => {
  it("settles those made since the outbox existed, and leaves those made before it queued", () => {
    const path = join(tempDir(), "s.db");
    const before = new Database(path);
    migrate(before, loadMigrations().slice(0, 34));
    // Installed with the release of 0007 sixty days ago, upgraded to the outbox's fifty days ago.
    before
      .prepare("UPDATE schema_migrations SET applied_at = ? WHERE version <= 7")
      .run(iso(NOW - 60 * DAY));
    before
      .prepare("UPDATE schema_migrations SET applied_at = ? WHERE version > 7")
      .run(iso(NOW - 50 * DAY));
    const message = JSON.stringify(buildDigest(digestData(), { kind: "daily", late: false }));
    const digest = before.prepare(
      `INSERT INTO digests (id, org_id, kind, period_start, period_end, late, message, created_at)
       VALUES (?, 'org-1', 'daily', ?, ?, 0, ?, ?)`,
    );
    // 1: made before the outbox, never posted. 2, 3, 4: made with it.
    for (const [id, made] of [
      [1, 55],
      [2, 45],
      [3, 2],
      [4, 1],
    ] as const)
      digest.run(id, NOW - (made + 1) * DAY, NOW - made * DAY, message, NOW - made * DAY);
    before.close();

    const old = openStore(path, { migrate: false });
    const s0 = withLaterColumns(old, () => repositories(old));
    // The release before queued each digest with the transaction that made it.
    for (const id of [2, 3, 4]) {
      const record = s0.digests.list("org-1").find((d) => d.id === id);
      if (!record) throw new Error(`digest ${id} not read`);
      queueDigest(s0.outbox, record, "C0ALERTS", NOW - (id === 2 ? 45 : id === 3 ? 2 : 1) * DAY);
    }
    // 2: Slack refused it for good 45 days ago; 31 days on, the outbox forgot it. 3 still waits.
    // (its replies and chart dropped with it).
    old
      .prepare(
        `UPDATE outbox SET state = CASE key WHEN 'digest:2' THEN 'failed' ELSE 'dropped' END,
           failure = 'invalid_blocks', settled_at = ? WHERE ref = 'digest:2'`,
      )
      .run(NOW - 45 * DAY);
    s0.outbox.prune(NOW - 14 * DAY - 30 * DAY, 200);
    // 4: posted.
    s0.digests.markPosted(4, NOW - DAY);
    old.prepare("DELETE FROM outbox WHERE ref = 'digest:4'").run();
    expect(old.prepare("SELECT count(*) FROM outbox WHERE ref = 'digest:2'").pluck().get()).toBe(0);
    old.close();

    const db = openStore(path);
    closeAfterTest(() => db.close());
    const s = repositories(db);
    expect(s.digests.pending("org-1").map((d) => d.id)).toEqual([1, 3]);
    // The start after the upgrade queues the digest made before the outbox, not the refused one.
    requeueDigests(s.outbox, s.digests, "org-1", "C0ALERTS", NOW);
    expect(s.outbox.has("digest:1")).toBe(true);
    expect(s.outbox.has("digest:2")).toBe(false);
  });
});

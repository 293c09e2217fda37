/** Retention pruning and a re-read by time (real HTTP to the simulator, real SQLite). */
import { describe, expect, it } from "vitest";
import { AlertStore } from "../../src/store/alerts.js";
import { EventStore } from "../../src/store/events.js";
import { RetentionStore } from "../../src/store/retention.js";
import { mcpEvent } from "../detect/fixtures.js";
import { DAY, MINUTE, NOW, rig } from "../ingest/setup.js";
import { retentionDb } from "./seed.js";

describe("retention and the re-read by time", () => {
  it("keeps a late event processed lately, so a re-read by time does not bring it back as new", async () => {
    const r = await rig({ hours: 1 });
    await r.poller.pollOnce(); // backfill
    // Processed now, happened 3 days ago (late), read live.
    r.sim.stream.inject(
      [
        {
          id: "late-1",
          type: "events",
          attributes: { time: new Date(NOW - 3 * DAY).toISOString(), action: "user_logged_in" },
        },
      ],
      NOW + MINUTE,
    );
    r.clock.advance(2 * MINUTE);
    await r.poller.pollOnce();
    expect(r.count("id = 'late-1' AND backfilled = 0")).toBe(1);
    // The rules have read everything stored (detection_state), then retention (2 days) prunes.
    const evaluated = r.db.prepare("SELECT max(seq) FROM event_rows").pluck().get() as number;
    r.db
      .prepare("INSERT INTO detection_state (org_id, last_seq, updated_at) VALUES (?, ?, ?)")
      .run(r.sim.orgId, evaluated, r.clock.now());
    const retention = new RetentionStore(r.db);
    // Happened 3 days ago, processed a few minutes ago: not yet past a 2-day cut.
    expect(retention.pruneEvents(r.sim.orgId, r.clock.now() - 2 * DAY, 1000)).toBe(0);
    // The cursor is refused: the poller reads again by time, ten minutes back.
    r.clock.advance(MINUTE);
    r.sim.expireCursors();
    await r.poller.pollOnce();
    const again = r.db
      .prepare("SELECT count(*) FROM events WHERE id = 'late-1' AND seq > ? AND backfilled = 0")
      .pluck()
      .get(evaluated);
    expect(again).toBe(0);
    expect(r.count("id = 'late-1'")).toBe(1);
    // Once processed before the cut too, it goes.
    r.clock.advance(2 * DAY);
    expect(retention.pruneEvents(r.sim.orgId, r.clock.now() - 2 * DAY, 1000)).toBeGreaterThan(0);
    expect(r.count("id = 'late-1'")).toBe(0);
  });
});

describe("retention and a processing time that is wrong", () => {
  it("prunes, in the end, an event whose processedAt is wrong and far ahead", () => {
    const s = retentionDb();
    const events = new EventStore(s.db);
    const time = NOW - 500 * DAY;
    s.db.transaction(() => {
      events.insertMany(
        [
          mcpEvent({
            orgId: "org-1",
            id: "wrong-processed",
            time,
            processedAt: Date.UTC(2100, 0, 1),
          }),
        ],
        time, // stored 500 days ago
      );
      new AlertStore(s.db).setLastEvaluated("org-1", events.maxSeq("org-1"), NOW);
    })();
    const store = new RetentionStore(s.db);
    // Stored 500 days ago: past a 400-day retention by any clock this app ever had.
    expect(store.pruneEvents("org-1", NOW - 400 * DAY, 10)).toBe(1);
  });
});

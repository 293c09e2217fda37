import { describe, expect, it } from "vitest";
import { alertRenderer } from "../../src/slack/alerts/render.js";
import { ActivityStore } from "../../src/store/activity.js";
import { AlertStore } from "../../src/store/alerts.js";
import { EventStore } from "../../src/store/events.js";
import { repositories } from "../../src/store/repositories.js";
import { RetentionStore } from "../../src/store/retention.js";
import { TrailStore } from "../../src/store/trail.js";
import { mcpEvent } from "../detect/fixtures.js";
import { DAY, NOW, retentionDb } from "../retention/seed.js";

const CUTOFF = NOW - 400 * DAY;

describe("retention store", () => {
  it("deletes events older than the cutoff, at most a batch at a time, and keeps recent ones", () => {
    const s = retentionDb();
    s.addEvents(25, 500);
    const recent = s.addEvents(5, 10);
    const store = new RetentionStore(s.db);
    expect(store.orgs()).toEqual(["org-1"]);
    expect(store.pruneEvents("org-1", CUTOFF, 10)).toBe(10);
    expect(s.count("events")).toBe(20);
    expect(store.pruneEvents("org-1", CUTOFF, 10)).toBe(10);
    expect(store.pruneEvents("org-1", CUTOFF, 10)).toBe(5);
    expect(store.pruneEvents("org-1", CUTOFF, 10)).toBe(0);
    const left = s.db.prepare("SELECT seq FROM events ORDER BY seq").all() as { seq: number }[];
    expect(left.map((r) => r.seq)).toEqual(recent);
  });

  it("never gives a pruned event's seq again, so what arrives after is read by the rules", () => {
    const s = retentionDb();
    s.addEvents(2, 10);
    // A late event of long ago: the newest seq, yet past the retention once evaluated.
    const [late] = s.addEvents(1, 500);
    const store = new RetentionStore(s.db);
    expect(store.pruneEvents("org-1", CUTOFF, 10)).toBe(1);
    const [next] = s.addEvents(1, 0, false);
    expect(next).toBeGreaterThan(late ?? Number.POSITIVE_INFINITY);
    const events = new EventStore(s.db);
    expect(events.liveAfter("org-1", late ?? 0, 10).map((e) => e.seq)).toEqual([next]);
  });

  it("forgets a person once none of their MCP events is left, and only then", () => {
    const s = retentionDb();
    s.addEvents(3, 500); // Alice's
    const events = new EventStore(s.db);
    const bob = { userId: "acc-bob", userEmail: "bob@example.com", userName: "Bob" };
    s.db.transaction(() =>
      events.insertMany(
        [
          mcpEvent({ id: "bob-old", time: NOW - 500 * DAY, processedAt: NOW - 500 * DAY, ...bob }),
          mcpEvent({ id: "bob-new", time: NOW - DAY, ...bob }),
        ],
        NOW,
      ),
    )();
    const store = new RetentionStore(s.db);
    expect(store.prunePeople("org-1")).toBe(0);
    s.db.prepare("UPDATE detection_state SET last_seq = 1000").run();
    expect(store.pruneEvents("org-1", CUTOFF, 1000)).toBe(4);
    expect(store.prunePeople("org-1")).toBe(1);
    const people = new ActivityStore(s.db);
    expect(people.personIds("org-1", ["alice@example.com", "BOB@example.com"])).toEqual([
      "acc-bob",
    ]);
  });

  it("keeps the events of alerts, and the alerts' trail and deliveries, whatever their age", () => {
    const s = retentionDb();
    const old = s.addEvents(6, 500);
    const alertId = s.alertOn([old[1] ?? 0, old[3] ?? 0]);
    new TrailStore(s.db).change(
      "org-1",
      alertId,
      "acknowledged",
      "U1",
      NOW - 499 * DAY,
      () => true,
    );
    s.db
      .prepare(
        `INSERT INTO deliveries (org_id, alert_id, channel, ts, revision, attempted_at, delivered_at)
         VALUES ('org-1', ?, 'C1', '1.000', 1, 0, 0)`,
      )
      .run(alertId);

    const store = new RetentionStore(s.db);
    expect(store.pruneEvents("org-1", CUTOFF, 1000)).toBe(4);
    const left = s.db.prepare("SELECT seq FROM events ORDER BY seq").all() as { seq: number }[];
    expect(left.map((r) => r.seq)).toEqual([old[1], old[3]]);
    expect([
      s.count("alerts"),
      s.count("alert_events"),
      s.count("alert_trail"),
      s.count("deliveries"),
    ]).toEqual([1, 2, 1, 1]);
    const alert = new AlertStore(s.db).get(alertId);
    if (!alert) throw new Error("the alert is gone");
    const message = JSON.stringify(alertRenderer(repositories(s.db))(alert));
    expect(message).toContain("acme.atlassian.net"); // its first event still shows where
  });

  it("keeps old events the rules have not evaluated yet", () => {
    const s = retentionDb();
    s.addEvents(3, 500);
    s.addEvents(2, 500, false);
    expect(new RetentionStore(s.db).pruneEvents("org-1", CUTOFF, 1000)).toBe(3);
    expect(s.count("events")).toBe(2);
  });

  it("deletes quarantined items received before the cutoff", () => {
    const s = retentionDb();
    s.quarantine(4, 450);
    s.quarantine(2, 3);
    const store = new RetentionStore(s.db);
    expect(store.pruneQuarantined("org-1", CUTOFF, 3)).toBe(3);
    expect(store.pruneQuarantined("org-1", CUTOFF, 3)).toBe(1);
    expect(s.count("quarantined_events")).toBe(2);
  });
});

import { describe, expect, it } from "vitest";
import { HOUR } from "../../src/time-units.js";
import { freshStore, newAlert, T } from "./setup.js";

type Store = ReturnType<typeof freshStore>;

/** Queued as the alert producer does: the delivery row and the outbox item in one go. */
function queue(s: Store, id: number, revision = 1, at = T, orgId = "org-1"): void {
  s.deliveries.markQueued(orgId, id, "C1", revision, at);
  s.outbox.enqueue(
    {
      key: `alert:${orgId}:${id}`,
      kind: "alert",
      method: "chat.postMessage",
      orgId,
      to: { channel: "C1" },
      payload: { text: "alert" },
      priority: 1,
    },
    at,
  );
}

/** One more event of the alert's group. */
const growth = {
  seq: 2,
  time: T,
  late: false,
  tools: ["deleteJiraIssue"],
  severity: "high" as const,
  notify: true,
};

const pendingIds = (s: Store, orgId = "org-1", limit = 100) =>
  s.deliveries.pending(orgId, limit).map((p) => p.alert.id);

describe("DeliveryStore: what Slack has yet to show", () => {
  it("lists the alerts to post, most severe first, then oldest, as new", () => {
    const s = freshStore();
    const low = s.alerts.insert(newAlert({ severity: "low" }));
    const high = s.alerts.insert(newAlert({ severity: "high" }));
    const info = s.alerts.insert(newAlert({ severity: "info" }));
    const medium = s.alerts.insert(newAlert({ severity: "medium" }));
    const high2 = s.alerts.insert(newAlert({ severity: "high" }));
    s.alerts.insert(newAlert({ notify: false })); // kept out of Slack
    s.alerts.insert(newAlert({ orgId: "org-2" }));
    expect(pendingIds(s)).toEqual([high, high2, medium, low, info]);
    expect(pendingIds(s, "org-1", 2)).toEqual([high, high2]);
    expect(s.deliveries.pending("org-1", 1)[0]).toMatchObject({
      kind: "new",
      delivery: undefined,
      attemptedAt: null,
    });
    expect(s.deliveries.backlog("org-1")).toBe(5);
    expect(pendingIds(s, "org-2")).toHaveLength(1);
  });

  it("lists an alert kept out of Slack once a finding for the channel grows it", () => {
    const s = freshStore();
    const id = s.alerts.insert(newAlert({ severity: "medium", notify: false }));
    s.alerts.grow({ id, orgId: "org-1" }, { ...growth, severity: "medium", notify: false }, T + 1);
    expect(pendingIds(s)).toEqual([]);
    s.alerts.grow({ id, orgId: "org-1" }, { ...growth, seq: 3 }, T + 2);
    expect(pendingIds(s)).toEqual([id]);
    s.alerts.grow({ id, orgId: "org-1" }, { ...growth, seq: 4, notify: false }, T + 3);
    expect(s.alerts.get(id)?.notify).toBe(true);
  });

  it("no longer lists an alert once it is queued, nor counts it in the backlog", () => {
    const s = freshStore();
    const id = s.alerts.insert(newAlert());
    const other = s.alerts.insert(newAlert());
    queue(s, id);
    expect(pendingIds(s)).toEqual([other]);
    expect(s.deliveries.backlog("org-1")).toBe(1);
    expect(s.deliveries.get("org-1", id)).toEqual({
      alertId: id,
      channel: "C1",
      ts: null,
      revision: 1,
      viaSummary: false,
      rollupHour: null,
    });
  });

  it("lists an alert tried before the outbox existed as in flight: its outcome is unknown", () => {
    const s = freshStore();
    const id = s.alerts.insert(newAlert());
    s.deliveries.markQueued("org-1", id, "C1", 1, T + 5); // no outbox item beside it
    const [pending] = s.deliveries.pending("org-1", 10);
    expect(pending).toMatchObject({
      alert: { id },
      kind: "in-flight",
      delivery: { alertId: id, channel: "C1", ts: null, revision: 1, viaSummary: false },
      attemptedAt: T + 5,
    });
    expect(s.deliveries.backlog("org-1")).toBe(0); // not new: it may be in Slack already
  });

  it("records where Slack showed it", () => {
    const s = freshStore();
    const id = s.alerts.insert(newAlert());
    queue(s, id);
    s.deliveries.markDelivered("org-1", id, "C0CHANNEL", "1.000001", 1, T + 1);
    expect(s.deliveries.get("org-1", id)).toMatchObject({ channel: "C0CHANNEL", ts: "1.000001" });
    expect(s.deliveries.get("org-2", id)).toBeUndefined();
    expect(pendingIds(s)).toEqual([]);
  });

  it("lists an alert whose group grew after its message was queued, until that revision is queued", () => {
    const s = freshStore();
    const id = s.alerts.insert(newAlert());
    queue(s, id);
    s.deliveries.markDelivered("org-1", id, "C1", "1.000001", 1, T + 1);
    s.alerts.grow({ id, orgId: "org-1" }, growth, T + 2);
    expect(s.deliveries.pending("org-1", 10)).toMatchObject([
      { alert: { id, revision: 2 }, kind: "grown", delivery: { ts: "1.000001", revision: 1 } },
    ]);
    expect(s.deliveries.backlog("org-1")).toBe(0);
    s.deliveries.markRevision("org-1", id, 2);
    expect(pendingIds(s)).toEqual([]);
  });

  it("keeps the newest revision shown when an older one is confirmed late", () => {
    const s = freshStore();
    const id = s.alerts.insert(newAlert());
    queue(s, id);
    s.deliveries.markRevision("org-1", id, 3);
    s.deliveries.markDelivered("org-1", id, "C1", "1.000001", 1, T + 1);
    expect(s.deliveries.get("org-1", id)?.revision).toBe(3);
  });

  it("never lists again an alert Slack refused for good", () => {
    const s = freshStore();
    const id = s.alerts.insert(newAlert());
    s.deliveries.markQueued("org-1", id, "C1", 1, T);
    s.deliveries.markFailed("org-1", id, "invalid_blocks", T);
    expect(pendingIds(s)).toEqual([]);
    s.alerts.grow({ id, orgId: "org-1" }, growth, T + 1);
    expect(pendingIds(s)).toEqual([]);
  });
});

describe("DeliveryStore: summaries", () => {
  it("takes summarised alerts out of the list, and keeps them in flight until the summary is shown", () => {
    const s = freshStore();
    const a = s.alerts.insert(newAlert());
    const b = s.alerts.insert(newAlert());
    const c = s.alerts.insert(newAlert());
    s.deliveries.markSummarised("org-1", [a, b], "C1", T);
    expect(pendingIds(s)).toEqual([c]);
    expect(s.deliveries.summaryInFlight("org-1").map((x) => x.id)).toEqual([a, b]);
    expect(s.deliveries.firstInFlightSummarised("org-1")).toBe(a);
    expect(s.deliveries.firstInFlightSummarised("org-2")).toBeUndefined();
    expect(s.deliveries.get("org-1", a)).toMatchObject({ viaSummary: true, ts: null });
    s.deliveries.markSummaryDelivered("org-1", [a, b], { channel: "C1", ts: "2.000002" }, T + 1);
    expect(s.deliveries.summaryInFlight("org-1")).toEqual([]);
    expect(s.deliveries.firstInFlightSummarised("org-1")).toBeUndefined();
    expect(s.deliveries.get("org-1", b)).toMatchObject({ viaSummary: true, ts: "2.000002" });
  });

  it("leaves an alert already queued alone as it was when a summary counts it too", () => {
    const s = freshStore();
    const id = s.alerts.insert(newAlert());
    queue(s, id);
    s.deliveries.markSummarised("org-1", [id], "C2", T + 1);
    expect(s.deliveries.get("org-1", id)).toMatchObject({ channel: "C1", viaSummary: false });
    expect(s.deliveries.summaryInFlight("org-1")).toEqual([]);
    s.deliveries.markSummaryDelivered("org-1", [id], { channel: "C2", ts: "2.000002" }, T + 2);
    expect(s.deliveries.get("org-1", id)?.ts).toBeNull();
  });

  it("never lists a summarised alert again, even when its group grows", () => {
    const s = freshStore();
    const id = s.alerts.insert(newAlert());
    s.deliveries.markSummarised("org-1", [id], "C1", T);
    s.alerts.grow({ id, orgId: "org-1" }, growth, T + 1);
    expect(pendingIds(s)).toEqual([]);
  });
});

describe("DeliveryStore: the channel's budget", () => {
  it("counts the alerts queued alone since a time, per organization", () => {
    const s = freshStore();
    queue(s, s.alerts.insert(newAlert()), 1, T - 1);
    queue(s, s.alerts.insert(newAlert()), 1, T);
    queue(s, s.alerts.insert(newAlert()), 1, T + HOUR / 2);
    s.deliveries.markSummarised("org-1", [s.alerts.insert(newAlert())], "C1", T);
    const elsewhere = s.alerts.insert(newAlert({ orgId: "org-2" }));
    queue(s, elsewhere, 1, T, "org-2");
    expect(s.deliveries.postedSince("org-1", T)).toBe(2);
    expect(s.deliveries.postedSince("org-1", T + HOUR)).toBe(0);
  });

  it("keeps an hour's roll-up: its alerts oldest first, out of the list, the budget and summaries", () => {
    const s = freshStore();
    const hour = T;
    const a = s.alerts.insert(newAlert());
    const b = s.alerts.insert(newAlert());
    const c = s.alerts.insert(newAlert());
    s.deliveries.markRolledUp("org-1", b, "C1", 1, hour, T + 2);
    s.deliveries.markRolledUp("org-1", a, "C1", 1, hour, T + 3);
    s.deliveries.markRolledUp("org-1", c, "C1", 1, hour + HOUR, T + HOUR);
    expect(s.deliveries.rolledUpIn("org-1", hour).map((x) => x.id)).toEqual([a, b]);
    expect(s.deliveries.rolledUpIn("org-1", hour + HOUR).map((x) => x.id)).toEqual([c]);
    expect(s.deliveries.rolledUpIn("org-2", hour)).toEqual([]);
    expect(pendingIds(s)).toEqual([]);
    expect(s.deliveries.postedSince("org-1", T)).toBe(0);
    expect(s.deliveries.summaryInFlight("org-1")).toEqual([]);
  });

  it("lists an alert of a roll-up that grew until its roll-up shows it; one posted alone since stays in it", () => {
    const s = freshStore();
    const id = s.alerts.insert(newAlert());
    s.deliveries.markRolledUp("org-1", id, "C1", 1, T, T);
    expect(pendingIds(s)).toEqual([]);
    s.alerts.grow({ id, orgId: "org-1" }, growth, T + 1);
    expect(s.deliveries.pending("org-1", 10)).toMatchObject([
      { alert: { id, revision: 2 }, kind: "grown", delivery: { viaSummary: true, rollupHour: T } },
    ]);
    s.deliveries.markRevision("org-1", id, 2);
    expect(pendingIds(s)).toEqual([]);
    s.deliveries.markPostedAlone("org-1", id, "C1", 2, T + 1);
    expect(s.deliveries.get("org-1", id)).toMatchObject({
      viaSummary: false,
      ts: null,
      rollupHour: T,
    });
    expect(s.deliveries.postedSince("org-1", T)).toBe(1);
    expect(s.deliveries.rolledUpIn("org-1", T).map((x) => x.id)).toEqual([id]);
    expect(s.deliveries.postedAloneIn("org-1", T)).toEqual([id]);
  });

  it("posts alone once an alert counted in a roll-up or a backlog's summary; the summarised one then takes its group's findings", () => {
    const s = freshStore();
    const rolledUp = s.alerts.insert(newAlert({ groupKey: "g-rollup" }));
    const summarised = s.alerts.insert(newAlert({ groupKey: "g-summary" }));
    const own = s.alerts.insert(newAlert({ groupKey: "g-own" }));
    s.deliveries.markRolledUp("org-1", rolledUp, "C1", 1, T, T);
    s.deliveries.markSummarised("org-1", [summarised], "C1", T);
    queue(s, own);
    expect(s.deliveries.markPostedAlone("org-1", rolledUp, "C2", 1, T + 1)).toBe(true);
    expect(s.deliveries.markPostedAlone("org-1", rolledUp, "C2", 1, T + 2)).toBe(false);
    expect(s.deliveries.markPostedAlone("org-1", summarised, "C2", 1, T + 1)).toBe(true);
    expect(s.deliveries.markPostedAlone("org-1", summarised, "C2", 1, T + 2)).toBe(false);
    expect(s.deliveries.markPostedAlone("org-1", own, "C2", 1, T + 1)).toBe(false);
    expect(s.deliveries.get("org-1", summarised)).toMatchObject({
      viaSummary: false,
      channel: "C2",
      rollupHour: null,
    });
    expect(s.deliveries.get("org-1", own)).toMatchObject({ viaSummary: false, channel: "C1" });
    expect(s.alerts.findGroup("org-1", "g-summary", T, 0)?.id).toBe(summarised);
  });

  it("rolls an alert up once: a second hour does not take it again", () => {
    const s = freshStore();
    const id = s.alerts.insert(newAlert());
    s.deliveries.markRolledUp("org-1", id, "C1", 1, T, T);
    s.deliveries.markRolledUp("org-1", id, "C1", 1, T + HOUR, T + HOUR);
    expect(s.deliveries.rolledUpIn("org-1", T).map((x) => x.id)).toEqual([id]);
    expect(s.deliveries.rolledUpIn("org-1", T + HOUR)).toEqual([]);
  });
});

describe("DeliveryStore: a pass reads only the alerts not yet settled", () => {
  /** What the partial index alerts_unsettled holds for org-1: the alerts a pass reads. */
  const unsettled = (s: Store) =>
    s.db
      .prepare<[], { id: number }>(
        `SELECT id FROM alerts INDEXED BY alerts_unsettled
         WHERE org_id = 'org-1' AND notify = 1 AND settled_revision IS NOT revision ORDER BY id`,
      )
      .all()
      .map((row) => row.id);

  it("holds an alert from its creation until its message is shown, and again when its group grows", () => {
    const s = freshStore();
    const id = s.alerts.insert(newAlert());
    s.alerts.insert(newAlert({ notify: false }));
    expect(unsettled(s)).toEqual([id]);
    queue(s, id); // waiting in the outbox: read, not pending
    expect(unsettled(s)).toEqual([id]);
    expect(pendingIds(s)).toEqual([]);
    s.deliveries.markDelivered("org-1", id, "C1", "1.000001", 1, T + 1);
    expect(unsettled(s)).toEqual([]);
    s.alerts.grow({ id, orgId: "org-1" }, growth, T + 2);
    expect(unsettled(s)).toEqual([id]);
    expect(pendingIds(s)).toEqual([id]);
    s.deliveries.markRevision("org-1", id, 2); // its update shown
    expect(unsettled(s)).toEqual([]);
  });

  it("lets go of alerts counted in a summary or a roll-up, or refused by Slack for good", () => {
    const s = freshStore();
    const summarised = s.alerts.insert(newAlert());
    const rolledUp = s.alerts.insert(newAlert());
    const refused = s.alerts.insert(newAlert());
    s.deliveries.markSummarised("org-1", [summarised], "C1", T);
    s.deliveries.markRolledUp("org-1", rolledUp, "C1", 1, T, T);
    s.deliveries.markQueued("org-1", refused, "C1", 1, T);
    s.deliveries.markFailed("org-1", refused, "invalid_blocks", T);
    expect(unsettled(s)).toEqual([]);
  });

  it("settles an alert of a roll-up at the revision the roll-up shows, also once Slack takes it", () => {
    const s = freshStore();
    const id = s.alerts.insert(newAlert());
    s.deliveries.markRolledUp("org-1", id, "C1", 1, T, T);
    s.alerts.grow({ id, orgId: "org-1" }, growth, T + 1); // while the roll-up is sent
    s.deliveries.markSummaryDelivered("org-1", [id], { channel: "C1", ts: "1.1" }, T + 2);
    expect(unsettled(s)).toEqual([id]);
    expect(pendingIds(s)).toEqual([id]);
    s.deliveries.markRevision("org-1", id, 2); // its update queued
    s.deliveries.markSummaryDelivered("org-1", [id], { channel: "C1", ts: "1.1" }, T + 3);
    expect(unsettled(s)).toEqual([]);
  });

  it("finds the pending alerts through that index, not by reading every alert", () => {
    const s = freshStore();
    for (let i = 0; i < 200; i++) {
      const id = s.alerts.insert(newAlert());
      s.deliveries.markQueued("org-1", id, "C1", 1, T);
      s.deliveries.markDelivered("org-1", id, "C1", `1.${i}`, 1, T + 1);
    }
    const fresh = s.alerts.insert(newAlert());
    expect(pendingIds(s)).toEqual([fresh]);
    expect(s.deliveries.backlog("org-1")).toBe(1);
    const source = (s.deliveries as unknown as { pendingQuery: { source: string } }).pendingQuery
      .source;
    const plan = s.db
      .prepare(`EXPLAIN QUERY PLAN ${source}`)
      .all({ orgId: "org-1", limit: 10 })
      .map((row) => (row as { detail: string }).detail);
    expect(plan[0]).toMatch(/^SEARCH a USING INDEX alerts_unsettled \(org_id=\?\)/);
  });
});

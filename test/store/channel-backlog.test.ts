import { describe, expect, it } from "vitest";
import { freshStore, newAlert, T } from "./setup.js";

const CHANNEL = "C1";

/** Alerts queued to the channel, their posts tried once and not taken. */
function queuedAndFailing(n: number) {
  const s = freshStore();
  const ids = Array.from({ length: n }, () => s.alerts.insert(newAlert({ severity: "medium" })));
  for (const id of ids) {
    s.deliveries.markQueued("org-1", id, CHANNEL, 1, T);
    s.outbox.enqueue(
      {
        key: `alert:org-1:${id}`,
        kind: "alert",
        method: "chat.postMessage",
        orgId: "org-1",
        ref: `alert:org-1:${id}`,
        to: { channel: CHANNEL },
        payload: { text: `alert ${id}` },
        priority: 5,
      },
      T,
    );
  }
  s.db
    .prepare("UPDATE outbox SET attempts = 1, first_claimed_at = ?, last_error = 'http_500'")
    .run(T);
  const pendingIds = () => s.deliveries.pending("org-1", 100).map((p) => p.alert.id);
  return { s, ids, pendingIds };
}

describe("the alert channel's backlog while Slack does not take its posts", () => {
  it("says since when the channel's posts fail", () => {
    const { s } = queuedAndFailing(2);
    expect(s.channelBacklog.failingSince(CHANNEL)).toBe(T);
    expect(s.channelBacklog.failingSince("C2")).toBeNull();
  });

  it("finds the channel's last post taken through an index, never reading every delivered one", () => {
    const { s } = queuedAndFailing(1);
    const plan = s.db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT max(delivered_at) FROM outbox WHERE state = 'delivered'
           AND delivered_channel = ? AND method = 'chat.postMessage' AND delivered_at > ?`,
      )
      .all(CHANNEL, T)
      .map((row) => (row as { detail: string }).detail)
      .join("\n");
    expect(plan).toContain(
      "USING INDEX outbox_delivered_channel (delivered_channel=? AND delivered_at>?)",
    );
  });

  it("takes back every waiting post but the first, and their alerts are the producer's again", () => {
    const { s, ids, pendingIds } = queuedAndFailing(4);
    expect(pendingIds()).toEqual([]);
    expect(s.channelBacklog.holdBack("org-1")).toBe(3);
    expect(pendingIds()).toEqual(ids.slice(1));
    expect(s.outbox.waiting("alert", "org-1")).toBe(1);
  });

  it("keeps a post that may have reached Slack, and one a reply waits on", () => {
    const { s, ids, pendingIds } = queuedAndFailing(3);
    const [, maybe, parent] = ids;
    s.db.prepare("UPDATE outbox SET uncertain = 1 WHERE key = ?").run(`alert:org-1:${maybe}`);
    const parentId = s.db
      .prepare("SELECT id FROM outbox WHERE key = ?")
      .pluck()
      .get(`alert:org-1:${parent}`) as number;
    s.outbox.enqueue(
      {
        key: `reply:${parent}`,
        kind: "alert-reply",
        method: "chat.postMessage",
        orgId: "org-1",
        to: { channel: CHANNEL, parentId },
        payload: { text: "in its thread" },
        priority: 6,
      },
      T,
    );
    expect(s.channelBacklog.holdBack("org-1")).toBe(0);
    expect(pendingIds()).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { HOUR } from "../../src/time-units.js";
import { connect, freshStore, newAlert, T } from "./setup.js";

type Store = ReturnType<typeof freshStore>;

/** An alert posted to the channel at `at`; returns its id. */
function posted(s: Store, at = T, orgId = "org-1"): number {
  const id = s.alerts.insert(newAlert({ orgId, createdAt: at }));
  s.deliveries.markQueued(orgId, id, "C1", 1, at);
  s.deliveries.markDelivered(orgId, id, "C1", `${id}.000001`, 1, at + 1);
  return id;
}

const unseenIds = (s: Store, orgId = "org-1", limit?: number) =>
  s.followUps.unseen(orgId, limit).map((p) => p.alert.id);

describe("FollowUpStore: alerts to follow up", () => {
  it("lists posted alerts with no follow-up yet, oldest first, with where their message is", () => {
    const s = freshStore();
    const first = posted(s);
    const second = posted(s, T + HOUR);
    expect(unseenIds(s)).toEqual([first, second]);
    expect(unseenIds(s, "org-1", 1)).toEqual([first]);
    expect(s.followUps.unseen("org-1")[1]).toMatchObject({
      alert: { id: second },
      channel: "C1",
      ts: `${second}.000001`,
      deliveredAt: T + HOUR + 1,
    });
  });

  it("does not list an alert Slack has not shown, nor another organization's", () => {
    const s = freshStore();
    const queued = s.alerts.insert(newAlert());
    s.deliveries.markQueued("org-1", queued, "C1", 1, T);
    const summarised = s.alerts.insert(newAlert());
    s.deliveries.markSummarised("org-1", [summarised], "C1", T);
    s.alerts.insert(newAlert()); // never queued
    posted(s, T, "org-2");
    expect(unseenIds(s)).toEqual([]);
  });

  it("lists an alert counted in a summary or roll-up once that message is posted, where it is", () => {
    const s = freshStore();
    const summarised = s.alerts.insert(newAlert());
    s.deliveries.markSummarised("org-1", [summarised], "C1", T);
    const rolledUp = s.alerts.insert(newAlert());
    s.deliveries.markRolledUp("org-1", rolledUp, "C1", 1, T, T);
    const at = { channel: "C1", ts: "9.000001" };
    s.deliveries.markSummaryDelivered("org-1", [summarised, rolledUp], at, T + 1);
    expect(s.followUps.unseen("org-1").map((p) => [p.alert.id, p.ts])).toEqual([
      [summarised, "9.000001"],
      [rolledUp, "9.000001"],
    ]);
  });

  it("starts a follow-up once: a second start, by this process or another, is refused", () => {
    const s = freshStore();
    const id = posted(s);
    expect(s.followUps.start("org-1", id, { state: "sending", user: "U1" }, T + HOUR, T)).toBe(
      true,
    );
    expect(unseenIds(s)).toEqual([]);
    const other = connect(s.path);
    expect(other.followUps.start("org-1", id, { state: "none" }, null, T + 1)).toBe(false);
    expect(s.followUps.get("org-1", id)).toEqual({
      alertId: id,
      askState: "sending",
      askedUser: "U1",
      dmChannel: null,
      dmTs: null,
      answer: null,
      confirmed: false,
      reminders: 0,
      nextReminderAt: T + HOUR,
    });
    expect(s.followUps.get("org-2", id)).toBeUndefined();
  });
});

describe("FollowUpStore: asking the person", () => {
  it("records where the question went, only for a question being sent", () => {
    const s = freshStore();
    const asked = posted(s);
    const notAsked = posted(s);
    s.followUps.start("org-1", asked, { state: "sending", user: "U1" }, null, T);
    s.followUps.start("org-1", notAsked, { state: "none" }, null, T);
    s.followUps.sent("org-1", asked, "D1", "5.000001");
    s.followUps.sent("org-1", notAsked, "D1", "6.000001");
    expect(s.followUps.get("org-1", asked)).toMatchObject({
      askState: "sent",
      dmChannel: "D1",
      dmTs: "5.000001",
    });
    expect(s.followUps.get("org-1", notAsked)).toMatchObject({ askState: "none", dmTs: null });
  });

  it("marks a question that could not be sent as not asked", () => {
    const s = freshStore();
    const id = posted(s);
    s.followUps.start("org-1", id, { state: "sending", user: "U1" }, null, T);
    expect(s.followUps.notAsked("org-1", id, "the person has no Slack account")).toBe(true);
    expect(s.followUps.get("org-1", id)?.askState).toBe("not-asked");
    // Given up while being sent to U1: Slack may have shown it, so U1's answer still counts, once.
    expect(s.followUps.answer("org-1", id, "yes", T + 1)).toBe(true);
    expect(s.followUps.answer("org-1", id, "no", T + 2)).toBe(false);
    // Nobody can answer a question that was never sent to anyone.
    const never = posted(s);
    s.followUps.start("org-1", never, { state: "not-asked", reason: "no e-mail" }, null, T);
    expect(s.followUps.answer("org-1", never, "yes", T + 1)).toBe(false);
  });

  it("keeps an answer when the question's sending is given up afterwards", () => {
    // Slack kept a question whose sending timed out; the person answered it; then the outbox gave up.
    const s = freshStore();
    const id = posted(s);
    s.followUps.start("org-1", id, { state: "sending", user: "U1" }, null, T);
    expect(s.followUps.answer("org-1", id, "no", T + 1)).toBe(true);
    expect(s.followUps.notAsked("org-1", id, "the direct message failed (timeout)")).toBe(false);
    expect(s.followUps.get("org-1", id)).toMatchObject({ askState: "answered", answer: "no" });
  });

  it("takes the first answer only; 'yes' ends the reminders, 'no' and a responder's 'yes' keep them", () => {
    const s = freshStore();
    const yes = posted(s);
    const no = posted(s);
    const responder = posted(s);
    for (const id of [yes, no, responder]) {
      s.followUps.start("org-1", id, { state: "sending", user: "U1" }, T + HOUR, T);
      s.followUps.sent("org-1", id, "D1", `${id}.5`);
    }
    expect(s.followUps.answer("org-1", yes, "yes", T + 1)).toBe(true);
    expect(s.followUps.answer("org-1", yes, "no", T + 2)).toBe(false);
    expect(s.followUps.get("org-1", yes)).toMatchObject({
      askState: "answered",
      answer: "yes",
      nextReminderAt: null,
    });
    expect(s.followUps.answer("org-1", no, "no", T + 1)).toBe(true);
    expect(s.followUps.get("org-1", no)).toMatchObject({ answer: "no", nextReminderAt: T + HOUR });
    expect(s.followUps.get("org-1", yes)?.confirmed).toBe(true);
    expect(s.followUps.answer("org-1", responder, "yes", T + 1, true)).toBe(true);
    expect(s.followUps.get("org-1", responder)).toMatchObject({
      answer: "yes",
      confirmed: false,
      nextReminderAt: T + HOUR,
    });
  });

  it("takes an answer to a question whose sending was never confirmed (the process stopped)", () => {
    const s = freshStore();
    const id = posted(s);
    s.followUps.start("org-1", id, { state: "sending", user: "U1" }, null, T);
    expect(s.followUps.answer("org-1", id, "no", T + 1)).toBe(true);
    expect(s.followUps.get("org-1", id)?.answer).toBe("no");
  });

  it("takes no answer for a question that was not asked", () => {
    const s = freshStore();
    const id = posted(s);
    s.followUps.start("org-1", id, { state: "none" }, null, T);
    expect(s.followUps.answer("org-1", id, "yes", T + 1)).toBe(false);
    expect(s.followUps.get("org-1", id)?.answer).toBeNull();
  });
});

describe("FollowUpStore: reminders", () => {
  it("lists the reminders due, earliest first, of that organization only", () => {
    const s = freshStore();
    const later = posted(s);
    const sooner = posted(s);
    const future = posted(s);
    const none = posted(s);
    const elsewhere = posted(s, T, "org-2");
    s.followUps.start("org-1", later, { state: "none" }, T + 2 * HOUR, T);
    s.followUps.start("org-1", sooner, { state: "none" }, T + HOUR, T);
    s.followUps.start("org-1", future, { state: "none" }, T + 3 * HOUR, T);
    s.followUps.start("org-1", none, { state: "none" }, null, T);
    s.followUps.start("org-2", elsewhere, { state: "none" }, T, T);
    const due = (now: number, limit?: number) =>
      s.followUps.dueReminders("org-1", now, limit).map((p) => p.alert.id);
    expect(due(T + 2 * HOUR)).toEqual([sooner, later]);
    expect(due(T + 2 * HOUR, 1)).toEqual([sooner]);
    expect(due(T + HOUR - 1)).toEqual([]);
    expect(s.followUps.dueReminders("org-1", T + 2 * HOUR)[0]).toMatchObject({
      channel: "C1",
      ts: `${sooner}.000001`,
    });
  });

  it("lets one pass claim each reminder: a second claim of the same one is refused", () => {
    const s = freshStore();
    const id = posted(s);
    s.followUps.start("org-1", id, { state: "none" }, T + HOUR, T);
    const other = connect(s.path);
    expect(s.followUps.claimReminder("org-1", id, 0, T + 3 * HOUR)).toBe(true);
    expect(other.followUps.claimReminder("org-1", id, 0, T + 3 * HOUR)).toBe(false);
    expect(s.followUps.get("org-1", id)).toMatchObject({
      reminders: 1,
      nextReminderAt: T + 3 * HOUR,
    });
    expect(s.followUps.claimReminder("org-1", id, 1, null)).toBe(true);
    expect(s.followUps.get("org-1", id)).toMatchObject({ reminders: 2, nextReminderAt: null });
    expect(s.followUps.dueReminders("org-1", T + 10 * HOUR)).toEqual([]);
  });

  it("stops reminders, and starts them again unless both were sent", () => {
    const s = freshStore();
    const id = posted(s);
    s.followUps.start("org-1", id, { state: "none" }, T + HOUR, T);
    s.followUps.stopReminders("org-1", id);
    expect(s.followUps.get("org-1", id)?.nextReminderAt).toBeNull();
    s.followUps.resumeReminders("org-1", id, T + 2 * HOUR);
    expect(s.followUps.get("org-1", id)?.nextReminderAt).toBe(T + 2 * HOUR);
    // Resuming does not move a reminder already set.
    s.followUps.resumeReminders("org-1", id, T + 5 * HOUR);
    expect(s.followUps.get("org-1", id)?.nextReminderAt).toBe(T + 2 * HOUR);
    s.followUps.claimReminder("org-1", id, 0, T + 4 * HOUR);
    s.followUps.claimReminder("org-1", id, 1, null);
    s.followUps.resumeReminders("org-1", id, T + 6 * HOUR);
    expect(s.followUps.get("org-1", id)).toMatchObject({ reminders: 2, nextReminderAt: null });
  });
});

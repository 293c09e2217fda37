import { describe, expect, it } from "vitest";
import { connect, freshStore, newAlert, T } from "./setup.js";

const any = () => true;

describe("TrailStore: status changes", () => {
  it("moves an alert and records who, when, from what and why, in the alert and its trail", () => {
    const s = freshStore();
    const id = s.alerts.insert(newAlert());
    const change = s.trail.change("org-1", id, "acknowledged", "U1", T + 1, any, "looking");
    const entry = {
      alertId: id,
      at: T + 1,
      actor: "U1",
      from: "open",
      to: "acknowledged",
      note: "looking",
    };
    expect(change).toEqual({ changed: true, entry });
    expect(s.alerts.get(id)).toMatchObject({ status: "acknowledged", updatedAt: T + 1 });
    expect(s.trail.history("org-1", id)).toEqual([entry]);
    expect(s.trail.lastChange("org-1", id)).toEqual(entry);
  });

  it("changes nothing when the alert is in that state already, and says who put it there", () => {
    const s = freshStore();
    const id = s.alerts.insert(newAlert());
    s.trail.change("org-1", id, "acknowledged", "U1", T + 1, any);
    const again = s.trail.change("org-1", id, "acknowledged", "U2", T + 2, any);
    expect(again).toMatchObject({
      changed: false,
      status: "acknowledged",
      last: { actor: "U1", at: T + 1 },
    });
    expect(s.trail.history("org-1", id)).toHaveLength(1);
    expect(s.alerts.get(id)?.updatedAt).toBe(T + 1);
  });

  it("changes nothing when the current state does not allow it", () => {
    const s = freshStore();
    const id = s.alerts.insert(newAlert());
    s.trail.change("org-1", id, "expected", "U1", T + 1, any);
    const seen: string[] = [];
    const refused = s.trail.change("org-1", id, "acknowledged", "U2", T + 2, (from) => {
      seen.push(from);
      return from === "open";
    });
    expect(seen).toEqual(["expected"]);
    expect(refused).toMatchObject({ changed: false, status: "expected", last: { actor: "U1" } });
    expect(s.alerts.get(id)?.status).toBe("expected");
    expect(s.trail.history("org-1", id).map((e) => e.to)).toEqual(["expected"]);
  });

  it("changes nothing of an unknown alert, nor of an alert of another organization", () => {
    const s = freshStore();
    const id = s.alerts.insert(newAlert());
    for (const [orgId, alertId] of [
      ["org-2", id],
      ["org-1", id + 1],
    ] as const) {
      expect(s.trail.change(orgId, alertId, "acknowledged", "U1", T, any)).toEqual({
        changed: false,
        status: undefined,
        last: undefined,
      });
    }
    expect(s.alerts.get(id)?.status).toBe("open");
    expect(s.trail.history("org-1", id)).toEqual([]);
    expect(s.trail.history("org-2", id)).toEqual([]);
  });

  it("answers a second process's click with the first one's change: one change for two clicks", () => {
    const s = freshStore();
    const id = s.alerts.insert(newAlert());
    const other = connect(s.path);
    const first = s.trail.change("org-1", id, "acknowledged", "U1", T + 1, (f) => f === "open");
    const second = other.trail.change(
      "org-1",
      id,
      "true_positive",
      "U2",
      T + 2,
      (f) => f === "open",
    );
    expect(first.changed).toBe(true);
    expect(second).toMatchObject({ changed: false, status: "acknowledged", last: { actor: "U1" } });
    expect(other.trail.history("org-1", id).map((e) => `${e.actor} ${e.to}`)).toEqual([
      "U1 acknowledged",
    ]);
  });
});

describe("TrailStore: the trail", () => {
  it("keeps every change and note in the order they happened, never overwritten", () => {
    const s = freshStore();
    const id = s.alerts.insert(newAlert());
    s.trail.change("org-1", id, "expected", "U1", T + 3, any);
    s.trail.note("org-1", id, "U2", T + 2, "snoozed for 4 h");
    s.trail.change("org-1", id, "open", "U2", T + 1, any);
    expect(s.trail.history("org-1", id).map((e) => [e.at, e.actor, e.from, e.to, e.note])).toEqual([
      [T + 3, "U1", "open", "expected", null],
      [T + 2, "U2", "expected", "expected", "snoozed for 4 h"],
      [T + 1, "U2", "expected", "open", null],
    ]);
  });

  it("notes a fact without changing the status; the last change skips notes", () => {
    const s = freshStore();
    const id = s.alerts.insert(newAlert());
    s.trail.change("org-1", id, "acknowledged", "U1", T + 1, any);
    s.trail.note("org-1", id, "UALICE", T + 2, "the person asked answered yes");
    expect(s.alerts.get(id)?.status).toBe("acknowledged");
    expect(s.trail.history("org-1", id).at(-1)).toEqual({
      alertId: id,
      at: T + 2,
      actor: "UALICE",
      from: "acknowledged",
      to: "acknowledged",
      note: "the person asked answered yes",
    });
    expect(s.trail.lastChange("org-1", id)).toMatchObject({ actor: "U1", to: "acknowledged" });
  });

  it("has no last change for an alert only noted about, and notes nothing about an unknown alert", () => {
    const s = freshStore();
    const id = s.alerts.insert(newAlert());
    s.trail.note("org-1", id, "U1", T, "asked");
    expect(s.trail.lastChange("org-1", id)).toBeUndefined();
    s.trail.note("org-2", id, "U1", T, "asked elsewhere");
    s.trail.note("org-1", id + 1, "U1", T, "asked about nothing");
    expect(s.trail.history("org-1", id)).toHaveLength(1);
    expect(s.trail.history("org-2", id)).toEqual([]);
    expect(s.trail.history("org-1", id + 1)).toEqual([]);
  });

  it("keeps each alert's trail apart", () => {
    const s = freshStore();
    const a = s.alerts.insert(newAlert());
    const b = s.alerts.insert(newAlert());
    s.trail.change("org-1", a, "acknowledged", "U1", T, any);
    s.trail.change("org-1", b, "expected", "U2", T, any);
    expect(s.trail.history("org-1", a).map((e) => e.to)).toEqual(["acknowledged"]);
    expect(s.trail.history("org-1", b).map((e) => e.to)).toEqual(["expected"]);
    expect(s.alerts.get(a)?.status).toBe("acknowledged");
  });
});

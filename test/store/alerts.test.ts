import { describe, expect, it } from "vitest";
import { DAY, HOUR, MINUTE } from "../../src/time-units.js";
import { connect, freshStore, newAlert, T } from "./setup.js";

const open = () => true;

describe("AlertStore: insert and read", () => {
  it("reads an alert back as it was stored, open at its first revision", () => {
    const s = freshStore();
    const given = newAlert();
    const id = s.alerts.insert(given);
    expect(s.alerts.get(id)).toEqual({
      ...given,
      id,
      status: "open",
      revision: 1,
      updatedAt: T,
    });
  });

  it("keeps the flags, an unknown person and a suppression as they were", () => {
    const s = freshStore();
    const given = newAlert({
      late: true,
      notify: false,
      suppressedBy: "known automation",
      userId: null,
      userName: null,
      userEmail: null,
      authKind: "api-token",
      detail: { nested: { list: [1, "two"] } },
      tools: [],
    });
    const id = s.alerts.insert(given);
    expect(s.alerts.get(id)).toMatchObject(given);
  });

  it("knows no alert of an id never given", () => {
    const s = freshStore();
    const id = s.alerts.insert(newAlert());
    expect(s.alerts.get(id + 1)).toBeUndefined();
  });

  it("lists an organization's alerts oldest first, counts those to post, and no other's", () => {
    const s = freshStore();
    const first = s.alerts.insert(newAlert());
    s.alerts.insert(newAlert({ orgId: "org-2" }));
    const quiet = s.alerts.insert(newAlert({ notify: false, severity: "low" }));
    const third = s.alerts.insert(newAlert({ ruleId: "mcp-burst", severity: "medium" }));
    expect(s.alerts.list("org-1").map((a) => a.id)).toEqual([first, quiet, third]);
    expect(s.alerts.counts("org-1")).toEqual({ stored: 3, toPost: 2 });
    expect(s.alerts.counts("org-2")).toEqual({ stored: 1, toPost: 1 });
    expect(s.alerts.counts("org-3")).toEqual({ stored: 0, toPost: 0 });
    expect(s.alerts.list("org-3")).toEqual([]);
  });

  it("tallies an organization's alerts by rule and severity", () => {
    const s = freshStore();
    s.alerts.insert(newAlert());
    s.alerts.insert(newAlert());
    s.alerts.insert(newAlert({ severity: "medium" }));
    s.alerts.insert(newAlert({ ruleId: "mcp-burst", severity: "low" }));
    s.alerts.insert(newAlert({ orgId: "org-2" }));
    const tally = s.alerts.tally("org-1");
    expect(tally).toHaveLength(3);
    expect(tally).toEqual(
      expect.arrayContaining([
        { ruleId: "mcp-destructive", severity: "high", count: 2 },
        { ruleId: "mcp-destructive", severity: "medium", count: 1 },
        { ruleId: "mcp-burst", severity: "low", count: 1 },
      ]),
    );
  });
});

describe("AlertStore: groups", () => {
  it("finds the open alert of a group with events within the window of a time, on either side", () => {
    const s = freshStore();
    const id = s.alerts.insert(newAlert({ firstSeen: T - HOUR, lastSeen: T }));
    const find = (key: string, time: number, org = "org-1") =>
      s.alerts.findGroup(org, key, time, 10 * MINUTE)?.id;
    expect(find("mcp-destructive|acc-ada", T)).toBe(id);
    expect(find("mcp-destructive|acc-ada", T + 10 * MINUTE)).toBe(id);
    expect(find("mcp-destructive|acc-ada", T + 10 * MINUTE + 1)).toBeUndefined();
    expect(find("mcp-destructive|acc-ada", T - HOUR - 10 * MINUTE)).toBe(id);
    // A call a day before the alert's first, arriving late, is not one of its calls.
    expect(find("mcp-destructive|acc-ada", T - HOUR - 10 * MINUTE - 1)).toBeUndefined();
    expect(find("mcp-destructive|acc-ada", T - 25 * HOUR)).toBeUndefined();
    expect(find("mcp-burst|acc-ada", T)).toBeUndefined();
    expect(find("mcp-destructive|acc-ada", T, "org-2")).toBeUndefined();
  });

  it("reads the latest events that joined an alert with their findings' titles, and counts the earlier ones up to 10,000", () => {
    const s = freshStore();
    const id = s.alerts.insert(newAlert({ firstEventSeq: 1, lastEventSeq: 1 }));
    const grow = (seq: number) =>
      s.alerts.grow(
        { id, orgId: "org-1" },
        {
          seq,
          title: `call ${seq}`,
          time: T,
          late: false,
          tools: [],
          severity: "high",
          notify: true,
        },
        T,
      );
    const links = (seqs: number[]) => seqs.map((seq) => ({ seq, title: `call ${seq}` }));
    for (let seq = 2; seq <= 5; seq++) grow(seq);
    expect(s.alerts.eventsAfter("org-1", id, 2, 10)).toEqual({
      links: links([3, 4, 5]),
      more: 0,
      capped: false,
    });
    expect(s.alerts.eventsAfter("org-1", id, 1, 2)).toEqual({
      links: links([4, 5]),
      more: 2,
      capped: false,
    });
    s.db.transaction(() => {
      for (let seq = 6; seq <= 10_050; seq++) grow(seq);
    })();
    expect(s.alerts.eventsAfter("org-1", id, 1, 10)).toEqual({
      links: links(Array.from({ length: 10 }, (_, i) => 10_041 + i)),
      more: 9_990,
      capped: true,
    });
  });

  it("finds the newest alert when a group has two open", () => {
    const s = freshStore();
    s.alerts.insert(newAlert());
    const newer = s.alerts.insert(newAlert());
    expect(s.alerts.findGroup("org-1", "mcp-destructive|acc-ada", T, 10 * MINUTE)?.id).toBe(newer);
  });

  it("takes no more events into an alert closed (expected, true positive); an acknowledged one does", () => {
    const s = freshStore();
    const group = (key: string) => s.alerts.findGroup("org-1", key, T, 10 * MINUTE)?.id;
    for (const status of ["expected", "true_positive"] as const) {
      const id = s.alerts.insert(newAlert({ groupKey: `g-${status}` }));
      s.trail.change("org-1", id, status, "U1", T, open);
      expect(group(`g-${status}`)).toBeUndefined();
    }
    // Someone is on it: the same incident's next calls are told in its thread.
    const acknowledged = s.alerts.insert(newAlert({ groupKey: "g-ack" }));
    s.trail.change("org-1", acknowledged, "acknowledged", "U1", T, open);
    expect(group("g-ack")).toBe(acknowledged);
  });

  it("takes no more events into an alert shown only in a backlog's summary; one in an hour's roll-up does", () => {
    const s = freshStore();
    const summarised = s.alerts.insert(newAlert({ groupKey: "g-summary" }));
    const rolledUp = s.alerts.insert(newAlert({ groupKey: "g-rollup" }));
    const alone = s.alerts.insert(newAlert({ groupKey: "g-alone" }));
    s.deliveries.markSummarised("org-1", [summarised], "C1", T);
    s.deliveries.markRolledUp("org-1", rolledUp, "C1", 1, T, T);
    s.deliveries.markQueued("org-1", alone, "C1", 1, T);
    expect(s.alerts.findGroup("org-1", "g-summary", T, 0)).toBeUndefined();
    expect(s.alerts.findGroup("org-1", "g-rollup", T, 0)?.id).toBe(rolledUp);
    expect(s.alerts.findGroup("org-1", "g-alone", T, 0)?.id).toBe(alone);
  });

  it("grows: one more event, the time span widened both ways, the new tools and severity, a new revision", () => {
    const s = freshStore();
    const id = s.alerts.insert(newAlert({ severity: "medium" }));
    const later = T + 10 * MINUTE;
    s.alerts.grow(
      { id, orgId: "org-1" },
      {
        seq: 5,
        time: later,
        late: false,
        tools: ["deleteJiraIssue", "deletePage"],
        severity: "high",
        notify: true,
      },
      later,
    );
    expect(s.alerts.get(id)).toMatchObject({
      eventCount: 2,
      firstEventSeq: 1,
      lastEventSeq: 5,
      firstSeen: T,
      lastSeen: later,
      tools: ["deleteJiraIssue", "deletePage"],
      severity: "high",
      revision: 2,
      createdAt: T,
      updatedAt: later,
    });
    // An event that happened before the first one (it arrived late) widens the span back.
    const earlier = T - 30 * MINUTE;
    s.alerts.grow(
      { id, orgId: "org-1" },
      { seq: 6, time: earlier, late: true, tools: ["deletePage"], severity: "high", notify: true },
      later + MINUTE,
    );
    expect(s.alerts.get(id)).toMatchObject({
      eventCount: 3,
      lastEventSeq: 6,
      firstSeen: earlier,
      lastSeen: later,
      late: true,
      revision: 3,
    });
  });

  it("stays late once an event of its group came late", () => {
    const s = freshStore();
    const id = s.alerts.insert(newAlert({ late: true }));
    s.alerts.grow(
      { id, orgId: "org-1" },
      { seq: 2, time: T, late: false, tools: ["deleteJiraIssue"], severity: "high", notify: true },
      T,
    );
    expect(s.alerts.get(id)?.late).toBe(true);
  });

  it("grows only the alert it is given", () => {
    const s = freshStore();
    const id = s.alerts.insert(newAlert());
    const other = s.alerts.insert(newAlert({ groupKey: "another" }));
    s.alerts.grow(
      { id, orgId: "org-1" },
      { seq: 2, time: T, late: false, tools: ["deleteJiraIssue"], severity: "high", notify: true },
      T,
    );
    expect(s.alerts.get(other)).toMatchObject({ eventCount: 1, revision: 1 });
  });
});

describe("AlertStore: severity and the rules' position", () => {
  it("raises an alert's severity within its organization only", () => {
    const s = freshStore();
    const id = s.alerts.insert(newAlert({ severity: "medium" }));
    s.alerts.raiseSeverity("org-2", id, "high", T + 1);
    expect(s.alerts.get(id)).toMatchObject({ severity: "medium", updatedAt: T });
    s.alerts.raiseSeverity("org-1", id, "high", T + 1);
    expect(s.alerts.get(id)).toMatchObject({ severity: "high", updatedAt: T + 1 });
  });

  it("remembers how far the rules have read, per organization, across connections", () => {
    const s = freshStore();
    expect(s.alerts.lastEvaluated("org-1")).toBeUndefined();
    s.alerts.setLastEvaluated("org-1", 41, T);
    s.alerts.setLastEvaluated("org-1", 42, T + 1);
    s.alerts.setLastEvaluated("org-2", 7, T);
    expect(s.alerts.lastEvaluated("org-1")).toBe(42);
    expect(s.alerts.lastEvaluated("org-2")).toBe(7);
    s.db.close();
    const again = connect(s.path);
    expect(again.alerts.lastEvaluated("org-1")).toBe(42);
  });
});

describe("AlertStore: what responders taught", () => {
  it("lists a person's alerts these reasons kept out of Slack since a time, oldest first", () => {
    const s = freshStore();
    const muted = { notify: false, suppressedBy: "muted by U1" };
    const first = s.alerts.insert(newAlert({ ...muted, createdAt: T }));
    const second = s.alerts.insert(newAlert({ ...muted, createdAt: T + HOUR }));
    s.alerts.insert(newAlert({ ...muted, createdAt: T - 1 })); // before
    s.alerts.insert(newAlert({ createdAt: T + HOUR })); // posted
    s.alerts.insert(newAlert({ ...muted, notify: true })); // posted all the same
    s.alerts.insert(newAlert({ ...muted, suppressedBy: "another reason" }));
    s.alerts.insert(newAlert({ ...muted, userId: "acc-bob" }));
    s.alerts.insert(newAlert({ ...muted, orgId: "org-2" }));
    expect(
      s.alerts.hiddenBy("org-1", "acc-ada", ["muted by U1", "snoozed"], T).map((a) => a.id),
    ).toEqual([first, second]);
    expect(s.alerts.hiddenBy("org-1", "acc-ada", [], T)).toEqual([]);
  });

  it("matches an alert without an account id by its person's e-mail, never another's", () => {
    const s = freshStore();
    const quiet = { userId: null, notify: false, suppressedBy: "r" };
    const id = s.alerts.insert(newAlert({ ...quiet, userEmail: "Mallory@acme.test" }));
    s.alerts.insert(newAlert({ ...quiet, userEmail: "eve@acme.test" }));
    s.alerts.insert(newAlert({ ...quiet, userEmail: null }));
    const mallory = "email:mallory@acme.test";
    expect(s.alerts.hiddenBy("org-1", mallory, ["r"], T).map((a) => a.id)).toEqual([id]);
    expect(s.alerts.hiddenBy("org-1", "unknown", ["r"], T)).toEqual([]);
  });

  it("counts a rule's alerts about a person marked expected since a time; an undone one no longer counts", () => {
    const s = freshStore();
    const expectAlert = (over = {}, at = T) => {
      const id = s.alerts.insert(newAlert(over));
      s.trail.change("org-1", id, "expected", "U1", at, open);
      return id;
    };
    expectAlert();
    const undone = expectAlert();
    expectAlert({}, T - DAY); // before `since`
    expectAlert({ ruleId: "mcp-burst" });
    expectAlert({ userId: "acc-bob" });
    s.alerts.insert(newAlert()); // open
    expect(s.alerts.expectedSince("org-1", "mcp-destructive", "acc-ada", T)).toBe(2);
    s.trail.change("org-1", undone, "open", "U1", T + 1, open);
    expect(s.alerts.expectedSince("org-1", "mcp-destructive", "acc-ada", T)).toBe(1);
    // Marked expected again: one alert, counted once.
    s.trail.change("org-1", undone, "expected", "U1", T + 2, open);
    expect(s.alerts.expectedSince("org-1", "mcp-destructive", "acc-ada", T)).toBe(2);
    expect(s.alerts.expectedSince("org-2", "mcp-destructive", "acc-ada", T)).toBe(0);
  });

  it("counts no alert the person asked about it marked expected themselves, only responders' marks", () => {
    const s = freshStore();
    const id = s.alerts.insert(newAlert());
    s.followUps.start("org-1", id, { state: "sending", user: "UADA" }, null, T);
    s.followUps.answer("org-1", id, "yes", T);
    s.trail.change("org-1", id, "expected", "UADA", T, open, "confirmed by the person");
    expect(s.alerts.expectedSince("org-1", "mcp-destructive", "acc-ada", T)).toBe(0);
    // Reopened, then marked expected by a responder: that one counts.
    s.trail.change("org-1", id, "open", "U1", T + 1, open);
    s.trail.change("org-1", id, "expected", "U1", T + 2, open);
    expect(s.alerts.expectedSince("org-1", "mcp-destructive", "acc-ada", T)).toBe(1);
  });

  it("counts expected alerts without an account id by their person's e-mail, each person apart", () => {
    const s = freshStore();
    for (const userEmail of ["mallory@acme.test", "eve@acme.test", null]) {
      const id = s.alerts.insert(newAlert({ userId: null, userEmail }));
      s.trail.change("org-1", id, "expected", "U1", T, open);
    }
    const mallory = "email:mallory@acme.test";
    expect(s.alerts.expectedSince("org-1", "mcp-destructive", mallory, T)).toBe(1);
    expect(s.alerts.expectedSince("org-1", "mcp-destructive", "unknown", T)).toBe(0);
    expect(s.alerts.expectedSince("org-1", "mcp-destructive", "acc-ada", T)).toBe(0);
    const confirmed = s.alerts.insert(newAlert({ userId: null, userEmail: "eve@acme.test" }));
    s.trail.change("org-1", confirmed, "true_positive", "U1", T + 1, open);
    expect(s.alerts.confirmedAt("org-1", "mcp-destructive", "email:eve@acme.test")).toBe(T + 1);
    expect(s.alerts.confirmedAt("org-1", "mcp-destructive", mallory)).toBeUndefined();
  });
});

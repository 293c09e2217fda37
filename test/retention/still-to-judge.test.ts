/**
 * An organization's events are cut RETENTION_DAYS before what its rules still have to judge, when
 * that is earlier than RETENTION_DAYS before now: after an outage (the key refused, the bot
 * stopped, the organization left out of ATLASSIAN_ORG_ID) the calls of the catch-up are judged
 * against the history before them.
 */
import { describe, expect, it } from "vitest";
import { Pruner } from "../../src/retention/pruner.js";
import { repositories } from "../../src/store/repositories.js";
import { HOUR, MINUTE } from "../../src/time-units.js";
import { anAlert } from "../detect/fixtures.js";
import { VirtualClock } from "../fakes/virtual-clock.js";
import { capturedLogger } from "../helpers/logs.js";
import { DAY, NOW, retentionDb } from "./seed.js";

/** A pass at RETENTION_DAYS=3 on `s`. */
async function pass(s: ReturnType<typeof retentionDb>) {
  const logs = capturedLogger("info");
  const stores = repositories(s.db);
  const result = await new Pruner({
    stores,
    clock: new VirtualClock(NOW),
    logger: logs.logger,
    retentionDays: 3,
  }).pruneOnce();
  return { result, logs, cut: stores.prunedBefore.get("org-1") };
}

/** The polls stored events processed up to `lastProcessedAt`, and read the log to its end in the one begun at `readThrough`. */
function polled(
  s: ReturnType<typeof retentionDb>,
  lastProcessedAt: number | null,
  readThrough?: number,
) {
  const { pollStates } = repositories(s.db);
  pollStates.save(
    {
      orgId: "org-1",
      cursor: null,
      lastProcessedAt,
      backfillFrom: null,
      backfillUntil: null,
      backfillDone: true,
    },
    NOW,
  );
  if (readThrough !== undefined) pollStates.saveReadThrough("org-1", readThrough);
}

/** Calls of 8, 6 and 1 day ago, stored as `polled` says. */
function outage(lastProcessedAt: number | null, readThrough?: number) {
  const s = retentionDb();
  s.addEvents(2, 8);
  s.addEvents(3, 6);
  s.addEvents(4, 1);
  polled(s, lastProcessedAt, readThrough);
  return s;
}

describe("an organization's retention", () => {
  it("keeps the history of what its polls have not read yet, says so, and lets it go once read", async () => {
    // Read through 4 days ago, then not (the key refused): 7 days are kept, not 3.
    const s = outage(null, NOW - 4 * DAY);
    const held = await pass(s);
    expect(held.result.events).toBe(2);
    expect(held.cut).toBe(NOW - 7 * DAY);
    expect(s.count("events")).toBe(7);
    expect(held.logs.text()).toContain(
      "retention: kept events older than 3 days, from 2026-11-17T12:00:00.000Z on: the rules still have to judge what the audit log holds from 2026-11-20T12:00:00.000Z on against them (after an outage, or while the organization is left out of ATLASSIAN_ORG_ID; see /healthz)",
    );
    // Read through now: the next pass cuts at 3 days.
    repositories(s.db).pollStates.saveReadThrough("org-1", NOW - 60_000);
    const caughtUp = await pass(s);
    expect(caughtUp.result.events).toBe(3);
    expect(s.count("events")).toBe(4);
    expect(caughtUp.logs.text()).not.toContain("retention: kept events");
  });

  it("with no poll known to have read its log to the end (before an upgrade), keeps the history of what the polls stored did not reach", async () => {
    const s = outage(NOW - 4 * DAY);
    expect((await pass(s)).cut).toBe(NOW - 7 * DAY);
    expect(s.count("events")).toBe(7);
  });

  it("after a restart, keeps no more of a quiet organization's history than the time it was down", async () => {
    // Its newest event is 2 days old (a quiet weekend); the process before this start read the
    // log to its end in a poll begun 5 minutes ago.
    const s = retentionDb();
    s.addEvents(5, 4);
    s.addEvents(1, 2);
    polled(s, NOW - 2 * DAY, NOW - 5 * MINUTE);
    const restarted = await pass(s);
    expect(restarted.cut).toBe(NOW - 3 * DAY - 5 * MINUTE);
    expect(s.count("events")).toBe(1);
    expect(restarted.logs.text()).not.toContain("retention: kept events");
  });

  it("keeps no more than what its polls have not stored, when they store without reaching the log's end", async () => {
    // Read to its end 10 days ago; every poll since stored events (up to an hour ago) but stopped
    // short of the end: at its most pages, on cursors in a cycle.
    const s = outage(NOW - HOUR, NOW - 10 * DAY);
    const polling = await pass(s);
    expect(polling.cut).toBe(NOW - 3 * DAY - HOUR);
    expect(s.count("events")).toBe(4);
    expect(polling.logs.text()).not.toContain("retention: kept events");
  });

  it("keeps the history of the calls stored that its rules have not judged yet", async () => {
    const s = outage(null, NOW);
    s.addEvents(1, 4, false);
    expect((await pass(s)).cut).toBe(NOW - 7 * DAY);
    expect(s.count("events")).toBe(8);
  });

  it("holds the events and the scopes recorded from them alone: the rest goes after RETENTION_DAYS", async () => {
    // Read through 4 days ago: the events are cut 7 days back. Of 5 days ago: Bob's only call,
    // quarantined items, an alert nobody saw (below minSeverity) and a weekly check answered.
    const s = outage(null, NOW - 4 * DAY);
    const stores = repositories(s.db);
    const at = NOW - 5 * DAY;
    const [bob = 0] = s.addEvents(1, 5, true, { userId: "acc-bob", userEmail: "bob@example.com" });
    s.quarantine(2, 5);
    // (The newest alert stays whatever its age: SQLite would give its id again.)
    for (const [groupKey, seen] of [
      ["mcp-write|acc-bob", at],
      ["mcp-write|acc-alice", NOW],
    ] as const)
      stores.alerts.insert(
        anAlert({
          ruleId: "mcp-write",
          severity: "low",
          groupKey,
          notify: false,
          firstEventSeq: bob,
          lastEventSeq: bob,
          firstSeen: seen,
          lastSeen: seen,
          createdAt: seen,
          updatedAt: seen,
        }),
      );
    const check = stores.attestations.add(
      {
        orgId: "org-1",
        weekStart: at - 7 * DAY,
        weekEnd: at,
        accountId: "acc-bob",
        slackUser: "U-bob",
        name: "Bob",
        email: "bob@example.com",
        calls: 1,
        writes: 0,
        deletes: 0,
        places: [],
        storedThrough: null,
      },
      at,
    );
    stores.attestations.answer(check ?? 0, "yes", at);
    const bobsScopes = () =>
      (
        s.db
          .prepare(
            "SELECT count(*) AS n FROM person_scopes WHERE user_id = (SELECT ref FROM strings WHERE value = 'acc-bob')",
          )
          .get() as { n: number }
      ).n;
    expect(bobsScopes()).toBeGreaterThan(0);

    const held = await pass(s);
    expect(held.cut).toBe(NOW - 7 * DAY);
    expect(held.result).toMatchObject({ events: 2, alerts: 1, quarantined: 2 });
    expect(s.count("events")).toBe(8);
    expect(bobsScopes()).toBeGreaterThan(0);
    expect(s.count("quarantined_events")).toBe(0);
    expect(s.count("alerts")).toBe(1);
    expect(s.count("attestations")).toBe(0);
  });

  it("keeps no more than the 180 days the audit log keeps", async () => {
    const s = outage(null, NOW - 300 * DAY);
    expect((await pass(s)).cut).toBe(NOW - 183 * DAY);
    expect(s.count("events")).toBe(9);
  });
});

/**
 * A responder asks about someone all of whose calls retention deleted, over a window reaching
 * back past the cut: the answer does not say that nobody by that e-mail made a call; it says
 * the events there were deleted, as any other answer over that time does. An open alert about
 * someone none of whose calls retention left (a weekly check's Not me pressed after the week's
 * calls were deleted raises one with no event) is shown to them, not someone else offered instead.
 */
import { describe, expect, it } from "vitest";
import { registerCommand } from "../../../src/slack/commands/slash-command.js";
import { EventStore } from "../../../src/store/events.js";
import { DAY, MINUTE } from "../../../src/time-units.js";
import { normalizedEvent, T0 } from "../../detect/fixtures.js";
import { boltApp } from "../bolt.js";
import { CHANNEL, slackRig } from "../setup.js";

/** A responder's signed `/mcp-activity` through the real Bolt app, and an event to store. */
async function responderRig() {
  const r = await slackRig();
  r.slack.setMembers(CHANNEL, ["URESP"]);
  r.slack.addUser({ id: "URESP", name: "resp", email: "resp@example.com", tz: "UTC" });
  const b = await boltApp(r, (app, responders) =>
    registerCommand(app, r.commandDeps({ responders })),
  );
  const base = normalizedEvent();
  return { r, b, base };
}

describe("a person forgotten by retention, asked about over the deleted time", () => {
  it("is not said never to have made a call", async () => {
    const { r, b, base } = await responderRig();
    const bob = { userId: "acc-bob", userName: "Bob", userEmail: "bob@example.com" };
    const events = new EventStore(r.db);
    // Bob (who left) deleted pages ten days ago; Alice works on.
    events.insertMany(
      Array.from({ length: 12 }, (_, i) => ({
        ...base,
        ...bob,
        actorId: "acc-bob",
        id: `bob-${i}`,
        time: T0 + i * MINUTE,
        processedAt: T0 + i * MINUTE,
        tool: "deleteConfluencePage",
        toolClass: "destructive" as const,
      })),
      T0 + 20 * MINUTE,
    );
    r.clock.advance(10 * DAY);
    events.insertMany([{ ...base, id: "alice-1", time: r.clock.now() }], r.clock.now());
    const polled = { orgId: "org-1", cursor: null, lastProcessedAt: T0, backfillFrom: null };
    r.stores.pollStates.save({ ...polled, backfillUntil: T0, backfillDone: true }, T0);
    // RETENTION_DAYS=3: a pass deletes Bob's calls, forgets him and records its cut.
    const cut = r.clock.now() - 3 * DAY;
    r.stores.alerts.setLastEvaluated("org-1", events.maxSeq("org-1"), r.clock.now());
    expect(r.stores.retention.pruneEvents("org-1", cut, 1000)).toBe(12);
    r.stores.retention.prunePeople("org-1");
    r.stores.prunedBefore.record("org-1", cut, r.clock.now());

    const answer = JSON.stringify(
      await (await b.command("user:bob@example.com since:30d", "URESP")).body(),
    );
    // Bob made 12 calls in that window: "nobody … made one" is false.
    expect(answer).not.toContain("nobody by that e-mail made one");
    expect(answer).toContain("deleted by retention");
  });
});

describe("a person asked about while the first poll reads the history", () => {
  it("is not said never to have made a call: their calls may not be read yet", async () => {
    const { r, b, base } = await responderRig();
    new EventStore(r.db).insertMany([{ ...base, id: "alice-1", time: T0 }], T0);
    // The first poll has read part of the history: the backfill is not done.
    const polled = { orgId: "org-1", cursor: "c1", lastProcessedAt: T0, backfillFrom: null };
    r.stores.pollStates.save({ ...polled, backfillUntil: T0 + DAY, backfillDone: false }, T0);
    const answer = JSON.stringify(
      await (await b.command("user:mallory@example.com since:30d", "URESP")).body(),
    );
    expect(answer).not.toContain("nobody by that e-mail made one");
    expect(answer).toContain("are stored yet. The first poll is still reading the audit log");
  });
});

describe("an open alert about a person whose calls retention deleted", () => {
  it("is listed for user:<their e-mail>, also when the person was forgotten by an earlier release", async () => {
    const { r, b, base } = await responderRig();
    const bob = { userId: "acc-bob", actorId: "acc-bob", userName: "Bob" };
    const events = new EventStore(r.db);
    events.insertMany(
      Array.from({ length: 25 }, (_, i) => ({
        ...base,
        ...bob,
        userEmail: "bob@example.com",
        id: `bob-${i}`,
        time: T0 + i * MINUTE,
        processedAt: T0 + i * MINUTE,
      })),
      T0 + 30 * MINUTE,
    );
    r.clock.advance(10 * DAY);
    events.insertMany([{ ...base, id: "alice-1", time: r.clock.now() }], r.clock.now());
    const polled = { orgId: "org-1", cursor: null, lastProcessedAt: T0, backfillFrom: null };
    r.stores.pollStates.save({ ...polled, backfillUntil: T0, backfillDone: true }, T0);
    // Bob's Not me on the week's check, stored as denyActivity does once its calls are gone.
    const id = r.stores.alerts.insert({
      orgId: "org-1",
      ruleId: "mcp-not-me",
      severity: "high",
      groupKey: "mcp-not-me|acc-bob|week",
      title: "Bob says the AI-tool activity with their account was not them (25 calls)",
      detail: {},
      userId: "acc-bob",
      userName: "Bob",
      userEmail: "bob@example.com",
      authKind: "unknown",
      firstEventSeq: 0,
      lastEventSeq: 0,
      firstSeen: T0,
      lastSeen: T0 + 24 * MINUTE,
      eventCount: 25,
      tools: [],
      late: false,
      suppressedBy: null,
      notify: true,
      createdAt: r.clock.now(),
    });
    // RETENTION_DAYS=3: Bob's calls are deleted.
    const cut = r.clock.now() - 3 * DAY;
    r.stores.alerts.setLastEvaluated("org-1", events.maxSeq("org-1"), r.clock.now());
    expect(r.stores.retention.pruneEvents("org-1", cut, 1000)).toBe(25);
    expect(r.stores.retention.prunePeople("org-1")).toBe(0);
    r.stores.prunedBefore.record("org-1", cut, r.clock.now());

    const asked = async (q: string) => JSON.stringify(await (await b.command(q, "URESP")).body());
    for (const q of ["user:bob@example.com", "user:Bob since:30d", "user:acc-bob"]) {
      const answer = await asked(q);
      expect(answer, q).toContain("Open alerts for these people");
      expect(answer, q).toContain(`#${id} high`);
    }
    // A store whose earlier release forgot Bob all the same: the alert still names him.
    r.db.prepare("DELETE FROM people WHERE user_id = 'acc-bob'").run();
    const answer = await asked("user:bob@example.com");
    expect(answer).toContain(`#${id} high`);
    expect(answer).not.toContain("did you mean");
  });
});

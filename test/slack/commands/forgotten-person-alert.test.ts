/**
 * An open alert about someone none of whose MCP calls retention left: a weekly check's Not me
 * pressed after a retention of days deleted the week's calls raises a high alert with no event
 * (firstEventSeq 0). A responder asking `user:<their e-mail>` is shown it, and is not offered
 * someone else instead.
 */
import { describe, expect, it } from "vitest";
import { registerCommand } from "../../../src/slack/commands/slash-command.js";
import { EventStore } from "../../../src/store/events.js";
import { DAY, MINUTE } from "../../../src/time-units.js";
import { mcpEvent, T0 } from "../../detect/fixtures.js";
import { boltApp } from "../bolt.js";
import { CHANNEL, slackRig } from "../setup.js";

describe("an open alert about a person whose calls retention deleted", () => {
  it("is listed for user:<their e-mail>, also when the person was forgotten by an earlier release", async () => {
    const r = await slackRig();
    r.slack.setMembers(CHANNEL, ["URESP"]);
    r.slack.addUser({ id: "URESP", name: "resp", email: "resp@example.com", tz: "UTC" });
    const b = await boltApp(r, (app, responders) =>
      registerCommand(app, r.commandDeps({ responders })),
    );
    const { seq: _s, ingestedAt: _i, ...base } = mcpEvent();
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

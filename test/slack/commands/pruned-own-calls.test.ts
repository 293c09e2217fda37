/**
 * Retention keeps the calls an alert holds. Someone who is not a responder asking about their own
 * calls over time retention deleted is shown nothing before the cut, in Slack or as a CSV: what is
 * left of that time is the calls alerts hold, and would tell them which were flagged before a
 * responder asks them. A responder asking about them still sees everything stored. So too after a
 * retention pass stopped part-way, when RETENTION_DAYS is raised before the next start.
 */
import { describe, expect, it } from "vitest";
import { Pruner } from "../../../src/retention/pruner.js";
import { registerCommand } from "../../../src/slack/commands/slash-command.js";
import { EventStore } from "../../../src/store/events.js";
import { DAY, MINUTE } from "../../../src/time-units.js";
import { normalizedEvent, T0 } from "../../detect/fixtures.js";
import { capturedLogger } from "../../helpers/logs.js";
import { boltApp } from "../bolt.js";
import { CHANNEL, slackRig } from "../setup.js";

const CANARY = "Payroll 2027 (canary)";

type Rig = Awaited<ReturnType<typeof slackRig>>;

/** A pass at RETENTION_DAYS=30 run to its end. */
async function cutAt30Days(r: Rig): Promise<void> {
  const cut = r.clock.now() - 30 * DAY;
  expect(r.stores.retention.pruneEvents("org-1", cut, 1000)).toBe(20);
  r.stores.prunedBefore.record("org-1", cut, r.clock.now());
}

/**
 * A pass at RETENTION_DAYS=30 (lowered by mistake) stopped (SIGTERM) after deleting Alice's
 * reads, then the bot started again at 400, its first pass run to its end.
 */
async function stoppedThenRaised(r: Rig): Promise<void> {
  const stop = new AbortController();
  let pauses = 0;
  const pruner = (retentionDays: number) =>
    new Pruner({
      stores: r.stores,
      clock: r.clock,
      logger: capturedLogger("info").logger,
      retentionDays,
      batchSize: 10,
      keepUp: async () => {
        if (++pauses === 2) stop.abort();
      },
    });
  expect((await pruner(30).pruneOnce(stop.signal)).events).toBe(20);
  await pruner(400).pruneOnce();
}

/** Alice's 20 reads 40 days ago and a canary read an open alert holds, then `prune` deletes them. */
async function prunedRig(prune: (r: Rig) => Promise<void> = cutAt30Days) {
  const r = await slackRig();
  r.slack.setMembers(CHANNEL, ["URESP"]);
  r.slack.addUser({ id: "URESP", name: "resp", email: "resp@example.com", tz: "UTC" });
  r.slack.addUser({ id: "UALICE", name: "alice", email: "alice@example.com", tz: "UTC" });
  const b = await boltApp(r, (app, responders) =>
    registerCommand(app, r.commandDeps({ responders })),
  );
  const base = normalizedEvent();
  const alice = {
    userId: "acc-alice",
    actorId: "acc-alice",
    userName: "Alice Example",
    userEmail: "alice@example.com",
  };
  const events = new EventStore(r.db);
  events.insertMany(
    Array.from({ length: 20 }, (_, i) => ({
      ...base,
      ...alice,
      id: `read-${i}`,
      time: T0 + i * MINUTE,
      processedAt: T0 + i * MINUTE,
      tool: "getConfluencePage",
      toolClass: "read" as const,
      resource: `Team notes ${i}`,
    })),
    T0 + 30 * MINUTE,
  );
  r.raise(
    {
      ruleId: "mcp-canary",
      groupKey: "mcp-canary|acc-alice",
      title: "Canary page read by Alice Example",
      userId: "acc-alice",
      userName: "Alice Example",
      userEmail: "alice@example.com",
      firstSeen: T0 + 25 * MINUTE,
      lastSeen: T0 + 25 * MINUTE,
    },
    {
      ...alice,
      time: T0 + 25 * MINUTE,
      processedAt: T0 + 25 * MINUTE,
      tool: "getConfluencePage",
      toolClass: "read",
      resource: CANARY,
    },
  );
  r.clock.advance(40 * DAY);
  const today = r.clock.now() - MINUTE;
  events.insertMany(
    [{ ...base, ...alice, id: "today", time: today, processedAt: today }],
    r.clock.now(),
  );
  const polled = { orgId: "org-1", cursor: null, lastProcessedAt: today, backfillFrom: null };
  r.stores.pollStates.save({ ...polled, backfillUntil: T0, backfillDone: true }, T0);
  r.stores.alerts.setLastEvaluated("org-1", events.maxSeq("org-1"), r.clock.now());
  await prune(r);
  const ask = async (text: string, user: string) =>
    JSON.stringify(await (await b.command(text, user)).body());
  return { ...r, ask };
}

describe("someone asking about their own calls over time retention deleted", () => {
  it("is shown nothing before the cut, not the calls alerts hold, and told the answer starts then; a responder is shown them", async () => {
    const r = await prunedRig();
    const answer = await r.ask("user:me since:60d until:30d", "UALICE");
    expect(answer).not.toContain(CANARY);
    expect(answer).not.toContain("getConfluencePage");
    expect(answer).toContain("deleted by retention");
    expect(answer).toContain("this answer starts then");
    // A responder asking about her still sees everything stored.
    const responder = await r.ask("user:alice@example.com since:60d until:30d", "URESP");
    expect(responder).toContain(CANARY);
    expect(responder).toContain("only what was kept of that time is counted");
  });

  it("is shown nothing before the cut after a pass stopped part-way and RETENTION_DAYS raised", async () => {
    const r = await prunedRig(stoppedThenRaised);
    const answer = await r.ask("user:me since:60d until:30d", "UALICE");
    expect(answer).not.toContain(CANARY);
    expect(answer).toContain("deleted by retention");
  });

  it("gets a CSV without them either", async () => {
    const r = await prunedRig();
    const reply = await r.ask("user:me since:60d format:csv", "UALICE");
    expect(reply).toContain("in your direct messages");
    const csv = r.slack.uploads[0]?.bytes.toString("utf8") ?? "";
    expect(csv).toContain("alice@example.com"); // today's call
    expect(csv).not.toContain(CANARY);
  });
});
